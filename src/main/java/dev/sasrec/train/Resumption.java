package dev.sasrec.train;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.Options;
import dev.sasrec.config.Refusal;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.ItemUpdates;
import dev.sasrec.model.dl4j.SASRecLayer;
import dev.sasrec.train.TrainConfig.Key;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What {@code --resume true} checks and changes on a loaded checkpoint. The model the options ask
 * for must be the checkpoint's (its parameters have that shape; anything else is refused naming the
 * options that differ). The learning rate may change: a run that diverged is resumed with a lower
 * {@code --lr} (the documented recovery), and each epoch's fit sets its rate (Adam's state is
 * kept).
 */
final class Resumption {

  private Resumption() {}

  /** The options that shape the model, as the checkpoint's layer and as this run ask for them. */
  static Map<OptionKey, String> options(
      ModelConfig m, Objective objective, SASRec.Targets t, ItemUpdates itemUpdates) {
    Map<OptionKey, String> options = new LinkedHashMap<>();
    options.putAll(Architecture.optionsOf(m));
    options.put(Key.LOSS, Options.cliName(objective.loss()));
    if (objective.loss() == Objective.Loss.GBCE) {
      options.put(Key.NEGATIVES, String.valueOf(objective.negatives()));
      options.put(Key.GBCE_T, String.valueOf(objective.gbceT()));
    }
    options.put(Key.TARGETS, Options.cliName(t));
    // The updater state's layout differs (lazy Adam keeps per-row step counts).
    options.put(Key.ITEM_UPDATES, Options.cliName(itemUpdates));
    return options;
  }

  /**
   * Refuses a checkpoint of another model than {@code wanted}: other options, or another Preprocess
   * output's vocabulary or length.
   */
  static void requireSameModel(
      MultiLayerNetwork checkpoint, ModelConfig wanted, TrainConfig config, String checkpointPath) {
    SASRecLayer layer = (SASRecLayer) checkpoint.getLayerWiseConfigurations().getConf(0).getLayer();
    ModelConfig had = layer.modelConfig();
    Map<OptionKey, String> before =
        options(had, layer.objective(), layer.targetPolicy(), layer.itemUpdatePolicy());
    Map<OptionKey, String> now =
        options(wanted, config.objective(), config.targets(), config.itemUpdates());
    List<String> was = new ArrayList<>();
    List<String> asks = new ArrayList<>();
    for (OptionKey key : now.keySet()) {
      if (!Objects.equals(before.get(key), now.get(key))) {
        was.add(key.flag() + " " + before.getOrDefault(key, "(none)"));
        asks.add(key.flag() + " " + now.get(key));
      }
    }
    if (!was.isEmpty()) {
      throw new Refusal(
          "Cannot resume: the checkpoint was trained with "
              + String.join(" ", was)
              + ", this run asks "
              + String.join(" ", asks)
              + "; resume with the checkpoint's options, or start a new run without "
              + Key.RESUME.flag()
              + " ("
              + checkpointPath
              + ")");
    }
    if (had.numItems() != wanted.numItems()
        || had.maxLen() != wanted.maxLen()
        || had.numCategories() != wanted.numCategories()) {
      throw new Refusal(
          "Cannot resume: the checkpoint was trained on "
              + had.numItems()
              + " items, "
              + had.numCategories()
              + " categories and length "
              + had.maxLen()
              + ", the Preprocess output has "
              + wanted.numItems()
              + ", "
              + wanted.numCategories()
              + " and "
              + wanted.maxLen()
              + "; resume on the Preprocess output the run started on, or start a new run without "
              + Key.RESUME.flag()
              + " ("
              + config.input()
              + ", "
              + checkpointPath
              + ")");
    }
  }
}
