package dev.sasrec.cli;

import dev.sasrec.config.Options;
import dev.sasrec.recommend.FirstLists;
import dev.sasrec.recommend.RecommendConfig;
import dev.sasrec.recommend.RecommendJob;
import dev.sasrec.recommend.RecommendPlan;
import dev.sasrec.text.Figures;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** {@code spark-submit --class Recommend sasrec-spark.jar --model RUN/model --input PREP ...} */
public final class RecommendCommand {

  /** The entry point; tests call its {@code execute}. */
  public static final JobRunner.Command COMMAND =
      new JobRunner.Command(
          RecommendConfig.OPTIONS,
          "Usage: spark-submit --class Recommend sasrec-spark.jar --model RUN/model --input PREP"
              + " --output URI [options]\n"
              + "Writes the top-K items per user (or session) after the latest history, as"
              + " Parquet.",
          RecommendCommand::run);

  private RecommendCommand() {}

  public static void main(String[] args) {
    COMMAND.main(args);
  }

  private static void run(Options options, PrintStream out) {
    RecommendConfig config = RecommendConfig.from(options);
    if (config.dryRun()) {
      RecommendPlan plan = RecommendPlan.check(config, JobRunner.dryRunConf());
      out.println("Recommend dry run: configuration, model, input and output are valid. Plan:");
      out.print(plan.describe());
      return;
    }
    SparkSession spark = JobRunner.spark("Recommend");
    RecommendJob.Result r = new RecommendJob(spark).run(config);
    out.printf(
        Locale.ROOT,
        "Recommend finished: %s (%s lists, %s rows, %s, %s lists/s)%n",
        config.output(),
        Figures.count(r.lists()),
        Figures.count(r.rows()),
        Figures.duration(r.seconds()),
        Figures.rate(r.lists() / r.seconds()));
    printSample(spark, config, out);
  }

  /** Lists shown after a run, and items shown of each. */
  private static final int SAMPLE_LISTS = 3;

  private static final int SAMPLE_ITEMS = 5;

  private static void printSample(SparkSession spark, RecommendConfig config, PrintStream out) {
    List<String> lists = FirstLists.read(spark, config, SAMPLE_LISTS, SAMPLE_ITEMS);
    if (!lists.isEmpty()) {
      out.printf("The first %d lists, top %d items (score):%n", lists.size(), SAMPLE_ITEMS);
      lists.forEach(out::println);
    }
  }
}
