package dev.sasrec.recommend;

import dev.sasrec.config.Options;
import dev.sasrec.config.Refusal;
import dev.sasrec.io.IndexedIds;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.ModelDir;
import dev.sasrec.io.ModelVocabulary;
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
 * What Recommend checks before any Spark job, and what {@code --dry-run} prints: the model
 * directory holds a network, its card and its vocabulary; {@code --k} fits the model; the
 * Preprocess output is complete and shares items with the model (its histories are mapped through
 * the model's vocabulary); the output may be written. The vocabularies are small tables read on the
 * driver.
 *
 * @param config the validated options
 * @param model the model directory's {@code config.json}
 * @param manifest the Preprocess output's {@code manifest.json}
 * @param vocabulary the model's own vocabulary
 * @param translation input item index → model item index
 */
public record RecommendPlan(
    RecommendConfig config,
    ModelCard model,
    PreprocessManifest manifest,
    ModelVocabulary vocabulary,
    ItemTranslation translation) {

  /**
   * Checks the model directory, {@code --k}, the input, then the output; throws naming the first
   * problem ({@code --k} as a bad option: exit code 2).
   */
  public static RecommendPlan check(RecommendConfig config, Configuration conf) {
    ModelDir modelDir = ModelDir.at(config.model());
    requireFiles(modelDir, conf);
    ModelCard model = modelDir.readCard(conf);
    ModelConfig m = model.model();
    if (config.k() > m.numItems()) {
      throw Options.bad(
          RecommendConfig.Key.K,
          String.valueOf(config.k()),
          String.format(
              Locale.ROOT,
              "must be at most the model's %,d items (%s)",
              m.numItems(),
              config.model()));
    }
    PreprocessLayout data = PreprocessLayout.at(config.input());
    PreprocessManifest manifest = PreprocessManifest.read(data, conf);
    ModelVocabulary vocabulary =
        ModelVocabulary.read(modelDir, m.numItems(), m.numCategories(), conf);
    ItemTranslation translation =
        ItemTranslation.between(
            IndexedIds.read(data.items(), null, conf),
            vocabulary.items(),
            config.input(),
            config.model());
    JobOutput.check(config.outputTarget(), conf);
    return new RecommendPlan(config, model, manifest, vocabulary, translation);
  }

  private static void requireFiles(ModelDir modelDir, Configuration conf) {
    try {
      FileSystem fs = modelDir.root().getFileSystem(conf);
      for (Path required : List.of(modelDir.network(), modelDir.card(), modelDir.items())) {
        if (!fs.exists(required)) {
          throw new Refusal(
              "Cannot read model: "
                  + required.getName()
                  + (required.equals(modelDir.items())
                      ? " (its vocabulary, written by TrainSASRec since the model directory carries"
                          + " it) is missing; train the model again"
                      : " is missing")
                  + "; "
                  + RecommendConfig.Key.MODEL.flag()
                  + " names a TrainSASRec <run>/model directory ("
                  + modelDir.root()
                  + ")");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check paths: " + e.getMessage(), e);
    }
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
        "items: %,d of the input's %,d are in the model's vocabulary; the others are skipped",
        translation.known(),
        translation.inputItems());
    line(
        plan,
        "rank: top %d per %s among all items, seen items %s",
        config.k(),
        Options.cliName(config.per()),
        config.excludeSeen() ? "left out" : "kept");
    line(
        plan,
        "write %s (%s, %s), %s%s%s",
        out.recommendations(),
        Options.cliName(config.layout()),
        Options.cliName(config.format()),
        out.stats(),
        config.exportEmbeddings() ? ", " + out.embeddings() : "",
        config.overwrite() ? " (replacing an existing output)" : "");
    return plan.toString();
  }

  private static void line(StringBuilder plan, String format, Object... args) {
    plan.append("  ").append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
