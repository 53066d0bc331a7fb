package dev.sasrec.cli;

import dev.sasrec.config.Options;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.PreprocessManifest;
import dev.sasrec.io.TrainLayout;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.train.ModelSummary;
import dev.sasrec.train.TrainConfig;
import dev.sasrec.train.TrainJob;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** {@code spark-submit --class TrainSASRec sasrec-spark.jar --input PREP --output RUN ...} */
public final class TrainCommand {

  public static final String JOB = "train";
  static final String USAGE =
      "Usage: spark-submit --class TrainSASRec sasrec-spark.jar --input URI --output URI [options]\n"
          + "Trains SASRec with DL4J parameter averaging on Spark from a Preprocess output.\n"
          + "       spark-submit --class TrainSASRec sasrec-spark.jar --summary true --items N";

  private TrainCommand() {}

  public static void main(String[] args) {
    JobRunner.exitOnFailure(execute(args, System.out, System.err));
  }

  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return JobRunner.execute(
        JOB,
        USAGE,
        args,
        (options, printer) -> {
          if (options.bool("summary")) {
            int items = options.integerAtLeast("items", 1);
            printSummary(options, items, printer);
            return;
          }
          TrainConfig config = TrainConfig.from(options);
          if (options.bool("dry-run")) {
            printPlan(config, printer);
            return;
          }
          SparkSession spark = SparkSession.builder().appName("sasrec TrainSASRec").getOrCreate();
          TrainJob.Result r = new TrainJob(spark).run(config);
          printer.println();
          printer.printf(
              Locale.ROOT,
              "TrainSASRec finished: %s (best epoch %d)%n",
              config.output(),
              r.bestEpoch());
          printer.printf(
              Locale.ROOT,
              "test HR@10 sampled %.4f  NDCG@10 sampled %.4f  HR@10 full %.4f  NDCG@10 full %.4f%n",
              r.testHr10Sampled(),
              r.testNdcg10Sampled(),
              r.testHr10Full(),
              r.testNdcg10Full());
        },
        out,
        err);
  }

  private static void printPlan(TrainConfig config, PrintStream out) {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    PreprocessManifest manifest =
        PreprocessManifest.read(PreprocessLayout.at(config.input()), conf);
    TrainJob.checkOutput(TrainLayout.at(config.output()), config, conf);
    ModelConfig model =
        config.model(
            manifest.items(),
            manifest.maxLen(),
            TrainJob.categoriesFor(config, manifest, PreprocessLayout.at(config.input())));
    long perRound = (long) config.workers() * config.batchSize() * config.averagingFrequency();
    out.println("TrainSASRec dry run: configuration, input and run directory are valid. Plan:");
    out.printf(
        Locale.ROOT,
        "  data: %s (%,d items, %,d train / %,d validation / %,d test examples," + " length %d)%n",
        config.input(),
        manifest.items(),
        manifest.trainExamples(),
        manifest.validationExamples(),
        manifest.testExamples(),
        manifest.maxLen());
    out.printf(
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
        Options.cliName(config.objective().loss()));
    out.printf("  write: %s%s%n", config.output(), config.resume() ? " (resuming)" : "");
    out.print(ModelSummary.table(model));
  }

  private static void printSummary(dev.sasrec.config.Options options, int items, PrintStream out) {
    ModelConfig model =
        new ModelConfig(
            items,
            50,
            options.integerAtLeast("hidden", 1),
            options.integerAtLeast("blocks", 0),
            options.integerAtLeast("heads", 1),
            options.integerAtLeast("ffn", 1),
            options.decimal("dropout"),
            options.choice("activation", ModelConfig.Activation.class),
            options.bool("final-layer-norm"),
            options.choice("output-table", TrainConfig.OutputTable.class)
                == TrainConfig.OutputTable.SEPARATE,
            options.choice("model", TrainConfig.ModelKind.class) == TrainConfig.ModelKind.CAFE
                ? options.integerAtLeast("categories", 1)
                : 0);
    out.printf(
        Locale.ROOT,
        "%s: %,d items (+1 padding row), %,d categories, L %d, d %d, %d blocks, %d heads%n",
        model.cafe() ? "CAFE" : "SASRec",
        items,
        model.numCategories(),
        model.maxLen(),
        model.hidden(),
        model.blocks(),
        model.heads());
    out.print(ModelSummary.table(model));
  }
}
