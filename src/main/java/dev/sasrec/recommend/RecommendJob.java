package dev.sasrec.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import dev.sasrec.eval.BatchScoring;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.ModelDir;
import dev.sasrec.io.Padding;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.RecommendLayout;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.Split;
import dev.sasrec.io.Vocabularies;
import dev.sasrec.model.ModelCard;
import dev.sasrec.model.ParamLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Recommend job: for each user (or session), the top-K items after the latest history, scored
 * on the executors with the broadcast model; raw ids mapped back through the vocabularies.
 */
public final class RecommendJob {

  private static final Logger LOG = LoggerFactory.getLogger(RecommendJob.class);

  static final String SPLIT_RANK = "split_rank";

  static final StructType RAW_SCHEMA =
      new StructType()
          .add(SequenceSchema.USER_INDEX, DataTypes.IntegerType, false)
          .add(SequenceSchema.SESSION, DataTypes.IntegerType, false)
          .add(RecommendLayout.RANK, DataTypes.IntegerType, false)
          .add(Vocabularies.ITEM_INDEX, DataTypes.IntegerType, false)
          .add(RecommendLayout.SCORE, DataTypes.FloatType, false);

  /** Lists written, rows written, and the time it took. */
  public record Result(long lists, long rows, double seconds) {}

  private final SparkSession spark;

  public RecommendJob(SparkSession spark) {
    this.spark = spark;
  }

  public Result run(RecommendConfig config) {
    long start = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    // The same checks as --dry-run: model files, a complete matching input, the output path.
    RecommendPlan plan = RecommendPlan.check(config, conf);
    JobOutput output = JobOutput.prepare(config.outputTarget(), conf);
    return output.write(root -> recommend(config, plan, new RecommendLayout(root), start));
  }

  private Result recommend(
      RecommendConfig config, RecommendPlan plan, RecommendLayout out, long start) {
    ModelDir modelDir = ModelDir.at(config.model());
    ModelCard card = plan.model();
    PreprocessLayout data = PreprocessLayout.at(config.input());
    stage("load model " + modelDir.root());
    MultiLayerNetwork net = load(modelDir.network());
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<ModelSnapshot> snapshot =
        sc.broadcast(
            ModelSnapshot.of(
                card.model(),
                card.targets(),
                card.objective(),
                net.params(),
                ModelSnapshot.itemCategories(spark, data, card.model())));
    stage("latest histories");
    JavaRDD<ExampleRow> latest =
        latestRows(data, config.per())
            .javaRDD()
            .map(ExampleRow::of)
            .repartition(sc.defaultParallelism());
    stage("score and rank");
    int k = config.k();
    boolean excludeSeen = config.excludeSeen();
    JavaRDD<Row> ranked =
        BatchScoring.map(
            latest, snapshot, (model, params, batch) -> rank(model, params, batch, k, excludeSeen));
    Dataset<Row> items = Vocabularies.itemIds(spark, data);
    stage("write " + out.recommendations());
    withIds(spark.createDataFrame(ranked, RAW_SCHEMA), items, data)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(out.recommendations().toString());
    if (config.exportEmbeddings()) {
      stage("export embeddings");
      writeEmbeddings(net, card, items, out);
    }
    snapshot.destroy();
    return written(out, start);
  }

  /** Raw ranked rows with the user's and the item's raw ids, in list order. */
  private Dataset<Row> withIds(Dataset<Row> ranked, Dataset<Row> items, PreprocessLayout data) {
    return ranked
        .join(items, Vocabularies.ITEM_INDEX)
        .join(Vocabularies.userIds(spark, data), SequenceSchema.USER_INDEX)
        .select(
            SequenceSchema.USER_ID,
            SequenceSchema.USER_INDEX,
            SequenceSchema.SESSION,
            RecommendLayout.RANK,
            Vocabularies.ITEM_ID,
            Vocabularies.ITEM_INDEX,
            RecommendLayout.SCORE)
        .orderBy(SequenceSchema.USER_INDEX, SequenceSchema.SESSION, RecommendLayout.RANK);
  }

  /** The lists and rows written, and the time since {@code start}. */
  private Result written(RecommendLayout out, long start) {
    Dataset<Row> written = spark.read().parquet(out.recommendations().toString());
    long rows = written.count();
    long lists =
        written.select(SequenceSchema.USER_INDEX, SequenceSchema.SESSION).distinct().count();
    spark.sparkContext().setJobDescription(null);
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info("Recommend: {} lists, {} rows in {} s", lists, rows, String.format("%.1f", seconds));
    return new Result(lists, rows, seconds);
  }

  /**
   * Per (user, session) the example of the latest split (test, else validation, else train); per
   * user only the latest session.
   */
  private Dataset<Row> latestRows(PreprocessLayout data, RecommendConfig.Per per) {
    Dataset<Row> all = null;
    int rank = 0;
    for (Split split : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
      Path path = data.sequences(split);
      Dataset<Row> part = spark.read().parquet(path.toString()).withColumn(SPLIT_RANK, lit(rank++));
      all = all == null ? part : all.unionByName(part);
    }
    Dataset<Row> perSession =
        all.withColumn(
                "n",
                row_number()
                    .over(
                        Window.partitionBy(SequenceSchema.USER_INDEX, SequenceSchema.SESSION)
                            .orderBy(col(SPLIT_RANK).desc())))
            .filter(col("n").equalTo(1))
            .drop("n");
    if (per == RecommendConfig.Per.SESSION) {
      return perSession;
    }
    return perSession
        .withColumn(
            "n",
            row_number()
                .over(
                    Window.partitionBy(SequenceSchema.USER_INDEX)
                        .orderBy(col(SequenceSchema.SESSION).desc())))
        .filter(col("n").equalTo(1))
        .drop("n");
  }

  /** The full latest sequence of an example: its input without padding, then its target. */
  static int[] latestSequence(ExampleRow row, int maxLen) {
    int[] input = Arrays.stream(row.items()).filter(i -> i != Padding.PAD).toArray();
    int[] full = Arrays.copyOf(input, input.length + 1);
    full[input.length] = row.target();
    return Padding.leftPad(full, maxLen);
  }

  /** Items a user has already interacted with: the history and the target. */
  static int[] seen(ExampleRow row) {
    int[] all = Arrays.copyOf(row.history(), row.history().length + 1);
    all[row.history().length] = row.target();
    return Padding.sortedDistinct(all);
  }

  /** The top {@code k} of each row of a batch: {@link #RAW_SCHEMA} rows, best first. */
  static List<Row> rank(
      ModelSnapshot snapshot,
      Map<String, INDArray> params,
      List<ExampleRow> batch,
      int k,
      boolean excludeSeen) {
    int maxLen = snapshot.config().maxLen();
    float[][] scores =
        snapshot.lastScores(
            params, batch.stream().map(row -> latestSequence(row, maxLen)).toList());
    List<Row> out = new ArrayList<>();
    for (int r = 0; r < batch.size(); r++) {
      ExampleRow row = batch.get(r);
      int[] best = TopK.of(scores[r], k, excludeSeen ? seen(row) : new int[0]);
      for (int i = 0; i < best.length; i++) {
        out.add(
            RowFactory.create(row.userIndex(), row.session(), i + 1, best[i], scores[r][best[i]]));
      }
    }
    return out;
  }

  private void writeEmbeddings(
      MultiLayerNetwork net, ModelCard info, Dataset<Row> items, RecommendLayout out) {
    INDArray table =
        new ParamLayout(info.model()).views(net.params()).get(info.model().outputTable());
    float[][] vectors = table.castTo(DataType.FLOAT).toFloatMatrix();
    List<Row> rows = new ArrayList<>(vectors.length - 1);
    for (int index = 1; index < vectors.length; index++) {
      rows.add(RowFactory.create(index, vectors[index]));
    }
    StructType schema =
        new StructType()
            .add(Vocabularies.ITEM_INDEX, DataTypes.IntegerType, false)
            .add(
                RecommendLayout.VECTOR,
                DataTypes.createArrayType(DataTypes.FloatType, false),
                false);
    spark
        .createDataFrame(rows, schema)
        .join(items, Vocabularies.ITEM_INDEX)
        .select(Vocabularies.ITEM_ID, Vocabularies.ITEM_INDEX, RecommendLayout.VECTOR)
        .orderBy(Vocabularies.ITEM_INDEX)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(out.embeddings().toString());
  }

  private MultiLayerNetwork load(Path path) {
    try (InputStream in =
        path.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(path)) {
      return ModelSerializer.restoreMultiLayerNetwork(in, false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load model: " + e.getMessage() + " (" + path + ")", e);
    }
  }

  private void stage(String what) {
    LOG.info("Recommend: {}", what);
    spark.sparkContext().setJobDescription("Recommend: " + what);
  }
}
