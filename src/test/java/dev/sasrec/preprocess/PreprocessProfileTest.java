package dev.sasrec.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The length summary from the histogram equals Spark's own percentile and avg on the lengths. */
@Tag("spark")
class PreprocessProfileTest {

  private static final int SEQUENCES = 997;
  private static final int MAX_LENGTH = 300;
  private static final Offset<Double> EXACT = Offset.offset(1e-9);

  @Test
  void summaryMatchesSparksPercentileAndAverage() {
    SparkSession spark = SparkTestSession.get();
    SplittableRandom random = new SplittableRandom(3);
    List<Integer> lengths = new ArrayList<>();
    Map<Long, Long> histogram = new TreeMap<>();
    for (int i = 0; i < SEQUENCES; i++) {
      // Skewed like real sequence lengths: many short, a long tail.
      int n = 2 + (int) (MAX_LENGTH * Math.pow(random.nextDouble(), 3));
      lengths.add(n);
      histogram.merge((long) n, 1L, Long::sum);
    }
    Row spark3 =
        spark
            .createDataset(lengths, Encoders.INT())
            .toDF("n")
            .selectExpr("percentile(n, array(0.5, 0.9, 0.99))", "avg(n)", "min(n)", "max(n)")
            .first();
    List<Double> expected = spark3.getList(0);
    PreprocessProfile profile =
        new PreprocessProfile(
            histogram.entrySet().stream()
                .map(e -> new PreprocessProfile.LengthBin(e.getKey(), e.getValue()))
                .toList(),
            List.of());
    PreprocessStats.Lengths summary = profile.lengthSummary();
    assertThat(profile.sequences()).isEqualTo(SEQUENCES);
    assertThat(summary.p50()).isCloseTo(expected.get(0), EXACT);
    assertThat(summary.p90()).isCloseTo(expected.get(1), EXACT);
    assertThat(summary.p99()).isCloseTo(expected.get(2), EXACT);
    assertThat(summary.mean()).isCloseTo(spark3.getDouble(1), EXACT);
    assertThat(summary.min()).isEqualTo(spark3.getInt(2));
    assertThat(summary.max()).isEqualTo(spark3.getInt(3));
  }

  @Test
  void anEvenCountInterpolatesBetweenTheTwoMiddleLengths() {
    // Lengths 2, 4, 10, 20: the median is halfway between 4 and 10.
    PreprocessProfile profile =
        new PreprocessProfile(
            List.of(
                new PreprocessProfile.LengthBin(2, 1),
                new PreprocessProfile.LengthBin(4, 1),
                new PreprocessProfile.LengthBin(10, 1),
                new PreprocessProfile.LengthBin(20, 1)),
            List.of());
    assertThat(profile.lengthSummary().p50()).isEqualTo(7.0);
    assertThat(profile.lengthSummary().mean()).isEqualTo(9.0);
  }
}
