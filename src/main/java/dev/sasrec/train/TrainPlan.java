package dev.sasrec.train;

import dev.sasrec.config.Options;
import dev.sasrec.config.Refusal;
import dev.sasrec.data.ItemMeta;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.PreprocessManifest;
import dev.sasrec.model.ModelConfig;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * What TrainSASRec checks before it starts Spark, and what {@code --dry-run} prints: the Preprocess
 * output is complete, the model the options ask for fits it, the run directory may be written.
 *
 * @param config the validated options
 * @param manifest the Preprocess output's {@code manifest.json}
 * @param model the model for that output's vocabulary and length
 */
public record TrainPlan(TrainConfig config, PreprocessManifest manifest, ModelConfig model) {

  /** Checks the input, the model and the run directory; throws naming the first problem. */
  public static TrainPlan check(TrainConfig config, Configuration conf) {
    PreprocessLayout data = PreprocessLayout.at(config.input());
    PreprocessManifest manifest = PreprocessManifest.read(data, conf);
    requireHeldOutExamples(manifest, data);
    ModelConfig model =
        config
            .architecture()
            .forData(manifest.items(), manifest.maxLen(), categories(config, manifest, data));
    JobOutput.check(config.outputTarget(), conf);
    TrainPlan plan = new TrainPlan(config, manifest, model);
    if (localMaster()) {
      plan.memory().requireLocal();
    }
    return plan;
  }

  /** What the run needs in memory. */
  public MemoryEstimate memory() {
    return MemoryEstimate.of(model, config, localMaster());
  }

  /**
   * Whether the driver runs the workers too: Spark's master as spark-submit passes it (a session
   * built without spark-submit is local, as the launcher's default).
   */
  static boolean localMaster() {
    return System.getProperty("spark.master", "local").startsWith("local");
  }

  /**
   * Refuses a Preprocess output without validation or test examples: the best epoch, early stopping
   * and the test metrics all need them, and every metric would be NaN.
   */
  private static void requireHeldOutExamples(PreprocessManifest manifest, PreprocessLayout data) {
    if (manifest.validationExamples() > 0 && manifest.testExamples() > 0) {
      return;
    }
    throw new Refusal(
        String.format(
            Locale.ROOT,
            "Cannot train: the Preprocess output has %,d validation and %,d test examples, and"
                + " choosing the best epoch and testing it need both; run Preprocess on a log whose"
                + " sequences have at least 3 events (leave-one-out), or with an earlier"
                + " --split-time (temporal) (%s)",
            manifest.validationExamples(),
            manifest.testExamples(),
            data.root()));
  }

  /** CAFE's category count, from a Preprocess output that has item categories; 0 for SASRec. */
  private static int categories(
      TrainConfig config, PreprocessManifest manifest, PreprocessLayout data) {
    if (!config.architecture().cafe()) {
      return 0;
    }
    if (manifest.categories() < 1) {
      throw new Refusal(
          "Cannot train CAFE: the Preprocess output has no item categories; run Preprocess with "
              + ItemMeta.Key.ITEM_META.flag()
              + " ("
              + data.root()
              + ")");
    }
    return manifest.categories();
  }

  /** The data, the training and the output of a run, then the model's layer table. */
  public String describe() {
    long perRound = (long) config.workers() * config.batchSize() * config.averagingFrequency();
    StringBuilder plan = new StringBuilder();
    plan.append(
        String.format(
            Locale.ROOT,
            "  data: %s (%,d items, %,d train / %,d validation / %,d test examples, length %d)%n",
            config.input(),
            manifest.items(),
            manifest.trainExamples(),
            manifest.validationExamples(),
            manifest.testExamples(),
            manifest.maxLen()));
    plan.append(
        String.format(
            Locale.ROOT,
            "  train: %d epochs, %d workers x batch %d, averaging every %d batches"
                + " (%,d examples per round, about %d rounds per epoch), Adam lr %s, loss %s%n",
            config.epochs(),
            config.workers(),
            config.batchSize(),
            config.averagingFrequency(),
            perRound,
            (manifest.trainExamples() + perRound - 1) / perRound,
            config.learningRate(),
            Options.cliName(config.objective().loss())));
    plan.append(
        String.format(
            Locale.ROOT,
            "  validate: %s each evaluated epoch; test: all %,d%n",
            config.validationSample().describe(manifest.validationExamples(), manifest.items()),
            manifest.testExamples()));
    plan.append(
        String.format(
            Locale.ROOT,
            "  memory: %s%s%n",
            memory(),
            localMaster()
                ? " (local: all in this JVM)"
                : " (the native part per executor: each worker's share)"));
    plan.append(
        String.format("  write: %s%s%n", config.output(), config.resume() ? " (resuming)" : ""));
    plan.append(ModelSummary.table(model));
    return plan.toString();
  }
}
