package dev.sasrec.cli;

import static org.apache.spark.sql.functions.col;

import dev.sasrec.config.Options;
import dev.sasrec.io.RecommendLayout;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.Vocabularies;
import dev.sasrec.recommend.RecommendConfig;
import dev.sasrec.recommend.RecommendJob;
import dev.sasrec.recommend.RecommendPlan;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
        "Recommend finished: %s (%,d lists, %,d rows, %.1f s, %.0f lists/s)%n",
        config.output(),
        r.lists(),
        r.rows(),
        r.seconds(),
        r.lists() / r.seconds());
    printSample(spark, config, out);
  }

  /** Lists shown after a run, and items shown of each. */
  private static final int SAMPLE_LISTS = 3;

  private static final int SAMPLE_ITEMS = 5;

  /**
   * A few lists read back from the output, as a reader of it sees them: the first users (by id),
   * their top items and scores.
   */
  private static void printSample(SparkSession spark, RecommendConfig config, PrintStream out) {
    Dataset<Row> recs =
        spark.read().parquet(RecommendLayout.at(config.output()).recommendations().toString());
    List<Row> first =
        recs.select(USER_ID, SESSION)
            .distinct()
            .orderBy(USER_ID, SESSION)
            .limit(SAMPLE_LISTS)
            .join(recs, new String[] {USER_ID, SESSION})
            .filter(col(RecommendLayout.RANK).leq(SAMPLE_ITEMS))
            .orderBy(USER_ID, SESSION, RecommendLayout.RANK)
            .collectAsList();
    Map<String, StringBuilder> lists = new LinkedHashMap<>();
    for (Row row : first) {
      String list = "  user " + row.getAs(USER_ID) + ", session " + row.getAs(SESSION) + ":";
      lists
          .computeIfAbsent(list, StringBuilder::new)
          .append(
              String.format(
                  Locale.ROOT,
                  " %s (%.2f)",
                  row.getAs(ITEM_ID),
                  ((Number) row.getAs(RecommendLayout.SCORE)).doubleValue()));
    }
    if (!lists.isEmpty()) {
      out.printf("The first %d lists, top %d items (score):%n", lists.size(), SAMPLE_ITEMS);
      lists.values().forEach(out::println);
    }
  }

  private static final String USER_ID = SequenceSchema.USER_ID;
  private static final String SESSION = SequenceSchema.SESSION;
  private static final String ITEM_ID = Vocabularies.ITEM_ID;
}
