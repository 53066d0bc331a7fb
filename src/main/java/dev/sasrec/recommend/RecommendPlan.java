package dev.sasrec.recommend;

import dev.sasrec.config.Options;
import dev.sasrec.config.Refusal;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.ModelDir;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.PreprocessManifest;
import dev.sasrec.io.RecommendLayout;
import dev.sasrec.model.ModelCard;
import dev.sasrec.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code --dry-run} of Recommend: what can be checked without Spark (the model directory holds a
 * network and its configuration, the Preprocess output is complete and matches the model's items
 * and length, the output may be written), and the steps a run would take.
 *
 * @param config the validated options
 * @param model the model directory's {@code config.json}
 * @param manifest the Preprocess output's {@code manifest.json}
 */
public record RecommendPlan(RecommendConfig config, ModelCard model, PreprocessManifest manifest) {

  /**
   * Checks the model directory, then the input, then the output; throws naming the first problem.
   */
  public static RecommendPlan check(RecommendConfig config, Configuration conf) {
    ModelDir modelDir = ModelDir.at(config.model());
    try {
      FileSystem fs = modelDir.root().getFileSystem(conf);
      for (Path required : List.of(modelDir.network(), modelDir.card())) {
        if (!fs.exists(required)) {
          throw new Refusal(
              "Cannot read model: "
                  + required.getName()
                  + " is missing; "
                  + RecommendConfig.Key.MODEL.flag()
                  + " names a TrainSASRec <run>/model directory ("
                  + modelDir.root()
                  + ")");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check paths: " + e.getMessage(), e);
    }
    ModelCard model = new JsonFiles(conf).read(modelDir.card(), ModelCard.class);
    PreprocessManifest manifest =
        PreprocessManifest.read(PreprocessLayout.at(config.input()), conf);
    ModelConfig m = model.model();
    if (manifest.items() != m.numItems() || manifest.maxLen() != m.maxLen()) {
      throw new Refusal(
          String.format(
              Locale.ROOT,
              "Cannot recommend: the model was trained on %d items and length %d, the input has"
                  + " %d items and length %d (%s, %s)",
              m.numItems(),
              m.maxLen(),
              manifest.items(),
              manifest.maxLen(),
              config.model(),
              config.input()));
    }
    if (m.cafe() && m.numCategories() != manifest.categories()) {
      throw new Refusal(
          String.format(
              Locale.ROOT,
              "Cannot recommend: the model has %d item categories, the input %d (CAFE needs the"
                  + " Preprocess output it was trained on) (%s, %s)",
              m.numCategories(),
              manifest.categories(),
              config.model(),
              config.input()));
    }
    JobOutput.check(config.outputTarget(), conf);
    return new RecommendPlan(config, model, manifest);
  }

  /** The steps of a run, one indented line each. */
  public String describe() {
    ModelConfig m = model.model();
    RecommendLayout out = RecommendLayout.at(config.output());
    StringBuilder plan = new StringBuilder();
    line(
        plan,
        "model: %s (best epoch %d; %,d items, length %d, d %d, %d blocks, %d heads)",
        config.model(),
        model.bestEpoch(),
        m.numItems(),
        m.maxLen(),
        m.hidden(),
        m.blocks(),
        m.heads());
    line(
        plan,
        "histories: %s (%,d users; latest of %,d train / %,d validation / %,d test examples)",
        config.input(),
        manifest.users(),
        manifest.trainExamples(),
        manifest.validationExamples(),
        manifest.testExamples());
    line(
        plan,
        "rank: top %d per %s among all items, seen items %s",
        config.k(),
        Options.cliName(config.per()),
        config.excludeSeen() ? "left out" : "kept");
    line(
        plan,
        "write %s%s%s",
        out.recommendations(),
        config.exportEmbeddings() ? ", " + out.embeddings() : "",
        config.overwrite() ? " (replacing an existing output)" : "");
    return plan.toString();
  }

  private static void line(StringBuilder plan, String format, Object... args) {
    plan.append("  ").append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
