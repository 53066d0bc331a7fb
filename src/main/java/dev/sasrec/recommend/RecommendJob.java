package dev.sasrec.recommend;

import static org.apache.spark.sql.functions.col;

import dev.sasrec.config.Options;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.ModelDir;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.RecommendLayout;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.Split;
import dev.sasrec.io.Vocabularies;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.ModelCard;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.text.Figures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Recommend job: for each user (or session), the top-K items after the latest history, scored
 * on the executors with the broadcast model. Histories are mapped into the model's own vocabulary
 * (a broadcast {@code int[]}), results written with the model's item ids (a broadcast {@code
 * String[]}): no join, no window function, no global sort. One Spark job reads, shuffles (the
 * latest example of each list) and scores while it writes; accumulators count every list for the
 * progress lines and {@code stats.json}.
 */
public final class RecommendJob {

  private static final Logger LOG = LoggerFactory.getLogger(RecommendJob.class);

  /**
   * Lists per scoring task, about: tasks end often enough for the progress lines (accumulators
   * reach the driver when a task ends), and each still scores several full batches.
   */
  static final int LISTS_PER_TASK = 2048;

  /** Seconds between two progress lines while the executors score. */
  static final int PROGRESS_SECONDS = 10;

  /** Steps of a run, as the progress lines number them. */
  private static final int STEPS = 4;

  /** Lists and rows written, the time it took, and the whole account. */
  public record Result(long lists, long rows, double seconds, RecommendStats stats) {}

  private final SparkSession spark;

  public RecommendJob(SparkSession spark) {
    this.spark = spark;
  }

  public Result run(RecommendConfig config) {
    long start = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    // The same checks as --dry-run: model files and vocabulary, --k, the input, the output path.
    RecommendPlan plan = RecommendPlan.check(config, conf);
    JobOutput output = JobOutput.prepare(config.outputTarget(), conf);
    try {
      // Files go to the staging directory JobOutput commits; log lines name the output asked for.
      RecommendLayout named = new RecommendLayout(new Path(config.output()));
      return output.write(root -> recommend(plan, new RecommendLayout(root), named, start));
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  private Result recommend(
      RecommendPlan plan, RecommendLayout out, RecommendLayout named, long start) {
    RecommendConfig config = plan.config();
    ModelCard card = plan.model();
    ModelConfig m = card.model();
    ModelDir modelDir = ModelDir.at(config.model());
    PreprocessLayout data = PreprocessLayout.at(config.input());
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    step(1, "load model %s (%,d items)", modelDir.root(), m.numItems());
    MultiLayerNetwork net = modelDir.loadNetwork(spark.sparkContext().hadoopConfiguration());
    ItemCategories categories =
        m.cafe()
            ? new ItemCategories(plan.vocabulary().items().categories(), m.numCategories())
            : ItemCategories.NONE;
    Broadcast<ModelSnapshot> snapshot =
        sc.broadcast(
            ModelSnapshot.of(m, card.targets(), card.objective(), net.params(), categories));
    Broadcast<int[]> toModel = sc.broadcast(plan.translation().toModel());
    Broadcast<String[]> modelIds = sc.broadcast(plan.vocabulary().items().ids());
    // Freed however the job ends: a failed Recommend in a long-lived session (a notebook, a test
    // JVM) would otherwise keep the model's copy on the driver and the executors.
    try {
      long expected = expectedLists(plan);
      int partitions = partitions(expected, sc.defaultParallelism());
      step(
          2,
          "latest histories of about %,d %ss from %s (%d tasks)",
          expected,
          Options.cliName(config.per()),
          data.root(),
          partitions);
      JavaRDD<LatestHistory> latest = latestHistories(data, config.per(), partitions);

      step(
          3,
          "score and write the top %d of %,d items per %s to %s",
          config.k(),
          m.numItems(),
          Options.cliName(config.per()),
          named.recommendations());
      ListScorer.Counters counters = new ListScorer.Counters(spark.sparkContext());
      JavaRDD<Row> rows =
          latest.mapPartitions(new ListScorer(snapshot, toModel, modelIds, config, counters));
      try (Progress progress = new Progress(counters, expected)) {
        spark
            .createDataFrame(rows, schema(config))
            .write()
            .mode(SaveMode.Overwrite)
            .format(config.format() == RecommendConfig.Format.JSON ? "json" : "parquet")
            .save(out.recommendations().toString());
      }

      step(4, "write %s%s", named.stats(), config.exportEmbeddings() ? " and the embeddings" : "");
      if (config.exportEmbeddings()) {
        writeEmbeddings(net, m, plan.vocabulary().items().ids(), out);
      }
      RecommendStats stats = stats(plan, counters, (System.nanoTime() - start) / 1e9);
      new JsonFiles(spark.sparkContext().hadoopConfiguration()).write(out.stats(), stats);
      LOG.info(
          String.format(
              Locale.ROOT,
              "Recommend: %,d of %,d lists written (%,d recommendations; without: %,d with no known"
                  + " item, %,d with every item seen; %,d unknown items skipped) in %s",
              stats.listsWithRecommendations(),
              stats.lists(),
              stats.recommendations(),
              stats.withoutRecommendation().noKnownItem(),
              stats.withoutRecommendation().allItemsSeen(),
              stats.unknownItemsSkipped(),
              Figures.duration(stats.seconds())));
      return new Result(
          stats.listsWithRecommendations(), stats.recommendations(), stats.seconds(), stats);
    } finally {
      snapshot.destroy();
      toModel.destroy();
      modelIds.destroy();
    }
  }

  /** Lists to expect: the users, or (per session) at most every example. */
  private static long expectedLists(RecommendPlan plan) {
    return plan.config().per() == RecommendConfig.Per.USER
        ? plan.manifest().users()
        : plan.manifest().trainExamples()
            + plan.manifest().validationExamples()
            + plan.manifest().testExamples();
  }

  /** A multiple of the cores, with about {@link #LISTS_PER_TASK} lists per task. */
  static int partitions(long lists, int parallelism) {
    long perRound = (long) parallelism * LISTS_PER_TASK;
    long rounds = Math.max(1, (lists + perRound - 1) / perRound);
    return Math.toIntExact(Math.min(Integer.MAX_VALUE / 2, rounds * parallelism));
  }

  /**
   * The latest example of each list: the three splits' needed columns (a given schema: no file is
   * opened to infer one), reduced by list, later session and later split winning.
   */
  private JavaRDD<LatestHistory> latestHistories(
      PreprocessLayout data, RecommendConfig.Per per, int partitions) {
    StructType columns = new StructType();
    for (String name : LatestHistory.COLUMNS) {
      columns = columns.add(SequenceSchema.SCHEMA.apply(name));
    }
    JavaRDD<LatestHistory> all = null;
    int rank = 0;
    for (Split split : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
      int splitRank = rank++;
      JavaRDD<LatestHistory> part =
          spark
              .read()
              .schema(columns)
              .parquet(data.sequences(split).toString())
              .select(LatestHistory.COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new))
              .javaRDD()
              .map(r -> LatestHistory.of(r, splitRank));
      all = all == null ? part : all.union(part);
    }
    return all.mapToPair(h -> new scala.Tuple2<>(h.key(per), h))
        .reduceByKey(LatestHistory::later, partitions)
        .values();
  }

  /** The rows of {@code --layout} and {@code --per}. */
  static StructType schema(RecommendConfig config) {
    if (config.layout() == RecommendConfig.Layout.ROWS) {
      return new StructType()
          .add(SequenceSchema.USER_ID, DataTypes.StringType, false)
          .add(SequenceSchema.USER_INDEX, DataTypes.IntegerType, false)
          .add(SequenceSchema.SESSION, DataTypes.IntegerType, false)
          .add(RecommendLayout.RANK, DataTypes.IntegerType, false)
          .add(Vocabularies.ITEM_ID, DataTypes.StringType, false)
          .add(Vocabularies.ITEM_INDEX, DataTypes.IntegerType, false)
          .add(RecommendLayout.SCORE, DataTypes.FloatType, false);
    }
    StructType schema = new StructType().add(SequenceSchema.USER_ID, DataTypes.StringType, false);
    if (config.per() == RecommendConfig.Per.SESSION) {
      schema = schema.add(SequenceSchema.SESSION, DataTypes.IntegerType, false);
    }
    return schema
        .add(RecommendLayout.ITEMS, DataTypes.createArrayType(DataTypes.StringType, false), false)
        .add(RecommendLayout.SCORES, DataTypes.createArrayType(DataTypes.FloatType, false), false);
  }

  private static RecommendStats stats(RecommendPlan plan, ListScorer.Counters c, double seconds) {
    RecommendConfig config = plan.config();
    return new RecommendStats(
        c.lists.value(),
        c.withRecommendations.value(),
        new RecommendStats.WithoutRecommendation(c.noKnownItem.value(), c.allItemsSeen.value()),
        c.fewerThanK.value(),
        c.recommendations.value(),
        c.unknownItemsSkipped.value(),
        plan.translation().inputItems(),
        plan.translation().known(),
        plan.model().model().numItems(),
        config.k(),
        Options.cliName(config.per()),
        Options.cliName(config.layout()),
        Options.cliName(config.format()),
        seconds);
  }

  /** The table that scores items, one row per model item with its id, in index order. */
  private void writeEmbeddings(
      MultiLayerNetwork net, ModelConfig m, String[] ids, RecommendLayout out) {
    INDArray table = new ParamLayout(m).views(net.params()).get(m.outputTable());
    float[][] vectors = table.castTo(DataType.FLOAT).toFloatMatrix();
    List<Row> rows = new ArrayList<>(vectors.length - 1);
    for (int index = 1; index < vectors.length; index++) {
      rows.add(RowFactory.create(ids[index], index, vectors[index]));
    }
    StructType schema =
        new StructType()
            .add(Vocabularies.ITEM_ID, DataTypes.StringType, false)
            .add(Vocabularies.ITEM_INDEX, DataTypes.IntegerType, false)
            .add(
                RecommendLayout.VECTOR,
                DataTypes.createArrayType(DataTypes.FloatType, false),
                false);
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(out.embeddings().toString());
  }

  /** A progress line naming the step, which also describes the Spark jobs it starts. */
  private void step(int step, String format, Object... args) {
    String what = String.format(Locale.ROOT, format, args);
    LOG.info("Recommend: step {}/{}: {}", step, STEPS, what);
    spark.sparkContext().setJobDescription("Recommend: " + what);
  }

  /**
   * While the executors score: a line every {@link #PROGRESS_SECONDS} s with the lists handled so
   * far. Decision: the driver learns it from the accumulators, which Spark merges when a task ends;
   * tasks of about {@link #LISTS_PER_TASK} lists make that often enough without a listener.
   */
  private static final class Progress implements AutoCloseable {
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "recommend-progress");
              t.setDaemon(true);
              return t;
            });
    private final long started = System.nanoTime();

    Progress(ListScorer.Counters counters, long expected) {
      timer.scheduleAtFixedRate(
          () -> {
            long done = counters.lists.value();
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.info(
                String.format(
                    Locale.ROOT,
                    "Recommend: scored %,d of about %,d lists (%,d recommendations) in %s,"
                        + " %s lists/s",
                    done,
                    expected,
                    counters.recommendations.value(),
                    Figures.duration(seconds),
                    Figures.rate(done / seconds)));
          },
          PROGRESS_SECONDS,
          PROGRESS_SECONDS,
          TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
