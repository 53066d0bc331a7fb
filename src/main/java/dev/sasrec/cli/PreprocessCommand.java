package dev.sasrec.cli;

import dev.sasrec.config.Options;
import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.preprocess.PreprocessJob;
import dev.sasrec.preprocess.PreprocessPlan;
import dev.sasrec.preprocess.PreprocessStats;
import java.io.PrintStream;

/** {@code spark-submit --class Preprocess sasrec-spark.jar --input URI --output URI ...} */
public final class PreprocessCommand {

  /** The entry point; tests call its {@code execute}. */
  public static final JobRunner.Command COMMAND =
      new JobRunner.Command(
          PreprocessConfig.OPTIONS,
          "Usage: spark-submit --class Preprocess sasrec-spark.jar --input URI --output URI"
              + " [options]\n"
              + "Reads a raw interaction log and writes left-padded item sequences, vocabularies"
              + " and stats.",
          PreprocessCommand::run);

  private PreprocessCommand() {}

  public static void main(String[] args) {
    COMMAND.main(args);
  }

  private static void run(Options options, PrintStream out) {
    PreprocessConfig config = PreprocessConfig.from(options);
    if (config.dryRun()) {
      String plan = PreprocessPlan.check(config, JobRunner.dryRunConf());
      out.println("Preprocess dry run: configuration, input and output are valid. Plan:");
      out.print(plan);
      return;
    }
    PreprocessStats stats = new PreprocessJob(JobRunner.spark("Preprocess")).run(config);
    out.println();
    out.println("Preprocess finished: " + config.output());
    out.print(stats.summaryTable());
  }
}
