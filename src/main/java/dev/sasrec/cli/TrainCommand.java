package dev.sasrec.cli;

import dev.sasrec.config.Options;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.train.ModelSummary;
import dev.sasrec.train.TrainConfig;
import dev.sasrec.train.TrainJob;
import dev.sasrec.train.TrainPlan;
import java.io.PrintStream;
import java.util.Locale;

/** {@code spark-submit --class TrainSASRec sasrec-spark.jar --input PREP --output RUN ...} */
public final class TrainCommand {

  /** The entry point; tests call its {@code execute}. */
  public static final JobRunner.Command COMMAND =
      new JobRunner.Command(
          TrainConfig.OPTIONS,
          "Usage: spark-submit --class TrainSASRec sasrec-spark.jar --input URI --output URI"
              + " [options]\n"
              + "       spark-submit --class TrainSASRec sasrec-spark.jar --summary --items N"
              + " [model options]\n"
              + "Trains SASRec with DL4J parameter averaging on Spark from a Preprocess output;"
              + " --summary prints the model's layers and parameter count without data.",
          TrainCommand::run);

  private TrainCommand() {}

  public static void main(String[] args) {
    COMMAND.main(args);
  }

  private static void run(Options options, PrintStream out) {
    if (TrainConfig.summaryRequested(options)) {
      printSummary(TrainConfig.summaryModel(options, preprocessMaxLen()), out);
      return;
    }
    TrainConfig config = TrainConfig.from(options);
    if (config.dryRun()) {
      TrainPlan plan = TrainPlan.check(config, JobRunner.dryRunConf());
      out.println("TrainSASRec dry run: configuration, input and run directory are valid. Plan:");
      out.print(plan.describe());
      return;
    }
    TrainJob.Result r = new TrainJob(JobRunner.spark("TrainSASRec")).run(config);
    out.println();
    out.printf(
        Locale.ROOT, "TrainSASRec finished: %s (best epoch %d)%n", config.output(), r.bestEpoch());
    out.printf(
        Locale.ROOT,
        "test HR@10 sampled %.4f  NDCG@10 sampled %.4f  HR@10 full %.4f  NDCG@10 full %.4f%n",
        r.testHr10Sampled(),
        r.testNdcg10Sampled(),
        r.testHr10Full(),
        r.testNdcg10Full());
  }

  /** --summary has no data: its sequence length is the one Preprocess writes by default. */
  private static int preprocessMaxLen() {
    return PreprocessConfig.Key.MAX_LEN.parsedDefault();
  }

  private static void printSummary(ModelConfig model, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%s: %,d items (+1 padding row), %,d categories, L %d, d %d, %d blocks, %d heads%n",
        model.cafe() ? "CAFE" : "SASRec",
        model.numItems(),
        model.numCategories(),
        model.maxLen(),
        model.hidden(),
        model.blocks(),
        model.heads());
    out.print(ModelSummary.table(model));
  }
}
