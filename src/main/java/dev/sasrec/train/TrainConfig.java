package dev.sasrec.train;

import dev.sasrec.config.Options;
import dev.sasrec.config.UsageException;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;
import java.util.Map;

/** The typed, validated configuration of TrainSASRec. Defaults: conf/train.properties. */
public record TrainConfig(
    ModelKind modelKind,
    String input,
    String output,
    int epochs,
    int workers,
    int batchSize,
    int averagingFrequency,
    int hidden,
    int blocks,
    int heads,
    int ffn,
    double dropout,
    ModelConfig.Activation activation,
    boolean finalLayerNorm,
    double learningRate,
    long seed,
    SASRec.Targets targets,
    Objective objective,
    boolean separateOutput,
    int evalEvery,
    int patience,
    int trainEvalRows,
    boolean resume,
    boolean overwrite,
    int keepCheckpoints,
    Map<String, String> resolvedOptions) {

  public TrainConfig {
    if (hidden % heads != 0) {
      throw new UsageException(
          "Cannot parse option --heads: hidden "
              + hidden
              + " is not divisible by it ("
              + heads
              + ")");
    }
    if (!(learningRate > 0)) {
      throw Options.bad("lr", String.valueOf(learningRate), "must be positive");
    }
    if (modelKind == ModelKind.CAFE && objective.loss() != Objective.Loss.BCE) {
      throw Options.bad(
          "loss", Options.cliName(objective.loss()), "CAFE trains with bce (item + category BCE)");
    }
    resolvedOptions = Map.copyOf(resolvedOptions);
  }

  /** Which model: SASRec (its objective chosen by --loss; gbce = gSASRec) or CAFE. */
  public enum ModelKind {
    SASREC,
    CAFE
  }

  public static TrainConfig from(Options o) {
    double dropout = o.decimal("dropout");
    if (dropout < 0 || dropout >= 1) {
      throw Options.bad("dropout", o.string("dropout"), "must be in [0, 1)");
    }
    return new TrainConfig(
        o.choice("model", ModelKind.class),
        o.required("input"),
        o.required("output"),
        o.integerAtLeast("epochs", 1),
        o.integerAtLeast("workers", 1),
        o.integerAtLeast("batch-size", 1),
        o.integerAtLeast("averaging-frequency", 1),
        o.integerAtLeast("hidden", 1),
        o.integerAtLeast("blocks", 0),
        o.integerAtLeast("heads", 1),
        o.integerAtLeast("ffn", 1),
        dropout,
        o.choice("activation", ModelConfig.Activation.class),
        o.bool("final-layer-norm"),
        o.decimal("lr"),
        o.longAtLeast("seed", Long.MIN_VALUE),
        o.choice("targets", SASRec.Targets.class),
        objective(o),
        o.choice("output-table", OutputTable.class) == OutputTable.SEPARATE,
        o.integerAtLeast("eval-every", 1),
        o.integerAtLeast("patience", 0),
        o.integerAtLeast("train-eval-rows", 1),
        o.bool("resume"),
        o.bool("overwrite"),
        o.integerAtLeast("keep-checkpoints", 1),
        o.asMap());
  }

  /** Which table scores items. */
  public enum OutputTable {
    TIED,
    SEPARATE
  }

  private static Objective objective(Options o) {
    Objective.Loss loss = o.choice("loss", Objective.Loss.class);
    double t = o.decimal("gbce-t");
    if (t < 0 || t > 1) {
      throw Options.bad("gbce-t", o.string("gbce-t"), "must be in [0, 1]");
    }
    return loss == Objective.Loss.BCE
        ? Objective.BCE
        : new Objective(loss, o.integerAtLeast("negatives", 1), t);
  }

  /**
   * The model for a vocabulary of {@code numItems} items and sequences of {@code maxLen}, with
   * {@code numCategories} item categories for CAFE (0 otherwise).
   */
  public ModelConfig model(int numItems, int maxLen, int numCategories) {
    return new ModelConfig(
        numItems,
        maxLen,
        hidden,
        blocks,
        heads,
        ffn,
        dropout,
        activation,
        finalLayerNorm,
        separateOutput,
        numCategories);
  }
}
