package dev.sasrec.cli;

import dev.sasrec.recommend.RecommendConfig;
import dev.sasrec.recommend.RecommendJob;
import dev.sasrec.recommend.RecommendPlan;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** {@code spark-submit --class Recommend sasrec-spark.jar --model RUN/model --input PREP ...} */
public final class RecommendCommand {

  public static final String JOB = "recommend";
  static final String USAGE =
      "Usage: spark-submit --class Recommend sasrec-spark.jar --model RUN/model --input PREP"
          + " --output URI [--k 10]\n"
          + "Writes the top-K items per user (or session) after the latest history, as Parquet.";

  private RecommendCommand() {}

  public static void main(String[] args) {
    JobRunner.exitOnFailure(execute(args, System.out, System.err));
  }

  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return JobRunner.execute(
        JOB,
        USAGE,
        args,
        (options, printer) -> {
          RecommendConfig config = RecommendConfig.from(options);
          if (config.dryRun()) {
            RecommendPlan plan =
                RecommendPlan.check(config, new org.apache.hadoop.conf.Configuration());
            printer.println(
                "Recommend dry run: configuration, model, input and output are valid. Plan:");
            printer.print(plan.describe());
            return;
          }
          SparkSession spark = SparkSession.builder().appName("sasrec Recommend").getOrCreate();
          RecommendJob.Result r = new RecommendJob(spark).run(config);
          printer.printf(
              Locale.ROOT,
              "Recommend finished: %s (%,d lists, %,d rows, %.1f s, %.0f lists/s)%n",
              config.output(),
              r.lists(),
              r.rows(),
              r.seconds(),
              r.lists() / r.seconds());
        },
        out,
        err);
  }
}
