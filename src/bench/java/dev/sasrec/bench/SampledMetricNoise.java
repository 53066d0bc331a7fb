package dev.sasrec.bench;

import dev.sasrec.eval.EvalSums;
import dev.sasrec.eval.Evaluator;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.io.ModelDir;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.Split;
import dev.sasrec.io.TrainLayout;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.ModelCard;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * How far the sampled metrics (HR@10, NDCG@10 among 100 uniform unseen candidates) move with the
 * draw of the candidates alone: one trained model scores one split with the candidate streams of
 * seeds 1..draws (Evaluator's streams depend only on the seed, the split and the row). The
 * full-ranking figures do not depend on the draw and are printed as a check. A benchmark, not a
 * test: it tells how close to a threshold a sampled figure may be read.
 *
 * <p>Usage (SASRec and gSASRec runs): {@code submit/spark-submit --class
 * dev.sasrec.bench.SampledMetricNoise target/sasrec-spark.jar RUN_DIR PREPROCESS_OUTPUT [draws=20]
 * [split=test]}
 */
public final class SampledMetricNoise {

  private static final int DEFAULT_DRAWS = 20;

  private SampledMetricNoise() {}

  public static void main(String[] args) throws IOException {
    TrainLayout run = TrainLayout.at(args[0]);
    PreprocessLayout prep = PreprocessLayout.at(args[1]);
    int draws = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_DRAWS;
    Split split = args.length > 3 ? Split.valueOf(args[3].toUpperCase(Locale.ROOT)) : Split.TEST;
    SparkSession spark = SparkSession.builder().appName("sasrec SampledMetricNoise").getOrCreate();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ModelDir dir = run.modelDir();
    ModelCard card = dir.readCard(conf);
    if (card.model().cafe()) {
      throw new IllegalArgumentException(
          "Cannot measure the sampled metrics' noise: CAFE models are not supported (" + dir + ")");
    }
    MultiLayerNetwork net = dir.loadNetwork(conf);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<ModelSnapshot> model =
        sc.broadcast(
            ModelSnapshot.of(
                card.model(), card.targets(), card.objective(), net.params(), ItemCategories.NONE));
    JavaRDD<ExampleRow> rows = ExampleRow.read(spark, prep.sequences(split));
    double[] hr = new double[draws];
    double[] ndcg = new double[draws];
    for (int seed = 1; seed <= draws; seed++) {
      EvalSums sums = Evaluator.evaluate(rows, model, seed, split, true);
      hr[seed - 1] = sums.meanHrSampled();
      ndcg[seed - 1] = sums.meanNdcgSampled();
      System.out.printf(
          Locale.ROOT,
          "draw %d: HR@10 sampled %.4f, NDCG@10 sampled %.4f | full (the same every draw) %.4f,"
              + " %.4f%n",
          seed,
          hr[seed - 1],
          ndcg[seed - 1],
          sums.meanHrFull(),
          sums.meanNdcgFull());
    }
    System.out.printf(
        Locale.ROOT,
        "%s, %s, %d draws: NDCG@10 sampled mean %.4f, sd %.4f, min %.4f, max %.4f;"
            + " HR@10 sampled mean %.4f, sd %.4f%n",
        run.root(),
        split.name().toLowerCase(Locale.ROOT),
        draws,
        mean(ndcg),
        sd(ndcg),
        Arrays.stream(ndcg).min().orElseThrow(),
        Arrays.stream(ndcg).max().orElseThrow(),
        mean(hr),
        sd(hr));
    spark.stop();
  }

  private static double mean(double[] x) {
    return Arrays.stream(x).average().orElseThrow();
  }

  private static double sd(double[] x) {
    double m = mean(x);
    return Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1));
  }
}
