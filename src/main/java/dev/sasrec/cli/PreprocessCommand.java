package dev.sasrec.cli;

import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.preprocess.PreprocessJob;
import dev.sasrec.preprocess.PreprocessPlan;
import dev.sasrec.preprocess.PreprocessStats;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/** {@code spark-submit --class Preprocess sasrec-spark.jar --input URI --output URI ...} */
public final class PreprocessCommand {

  public static final String JOB = "preprocess";
  static final String USAGE =
      "Usage: spark-submit --class Preprocess sasrec-spark.jar --input URI --output URI [options]\n"
          + "Reads a raw interaction log and writes left-padded item sequences, vocabularies and"
          + " stats.";

  private PreprocessCommand() {}

  public static void main(String[] args) {
    JobRunner.exitOnFailure(execute(args, System.out, System.err));
  }

  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return JobRunner.execute(
        JOB,
        USAGE,
        args,
        (options, printer) -> {
          PreprocessConfig config = PreprocessConfig.from(options);
          if (options.bool("dry-run")) {
            String plan = PreprocessPlan.check(config, new org.apache.hadoop.conf.Configuration());
            printer.println("Preprocess dry run: configuration, input and output are valid. Plan:");
            printer.print(plan);
            return;
          }
          // The master and all Spark settings come from spark-submit, never from code.
          SparkSession spark = SparkSession.builder().appName("sasrec Preprocess").getOrCreate();
          PreprocessStats stats = new PreprocessJob(spark).run(config);
          printer.println();
          printer.println("Preprocess finished: " + config.output());
          printer.print(stats.summaryTable());
        },
        out,
        err);
  }
}
