package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.SparkTestSession;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class VocabularyTest {

  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> items(String values) {
    return spark.sql("select item from values " + values + " as t(item)");
  }

  @Test
  void mostFrequentFirstTiesByNumericIdThenText() {
    Dataset<Row> events =
        items("('10'),('10'),('9'),('b'),('a'),('7'),('7'),('7'),('9'),('b'),('a')");
    List<String> vocab =
        new Vocabulary(spark, 100)
            .build(events, "item", "item").orderBy("index").collectAsList().stream()
                .map(r -> r.getInt(0) + "=" + r.getString(1) + "x" + r.getLong(2))
                .toList();
    assertThat(vocab).containsExactly("1=7x3", "2=9x2", "3=10x2", "4=ax2", "5=bx2");
  }

  @Test
  void sameInputSameIndices() {
    Dataset<Row> events = items("('x'),('y'),('z'),('y')");
    Vocabulary vocabulary = new Vocabulary(spark, 100);
    assertThat(vocabulary.build(events, "item", "item").orderBy("index").collectAsList())
        .isEqualTo(
            vocabulary
                .build(events.repartition(3), "item", "item")
                .orderBy("index")
                .collectAsList());
  }

  @Test
  void tooManyIdsIsAClearError() {
    assertThatThrownBy(
            () -> new Vocabulary(spark, 2).build(items("('x'),('y'),('z')"), "item", "item"))
        .hasMessageStartingWith("Cannot remap item ids: 3 distinct ids exceed the limit of 2");
  }

  @Test
  void theDefaultLimitKeepsIndicesExactInFloat32() {
    long largest = Vocabulary.FLOAT32_EXACT_LIMIT - 1;
    assertThat((long) (float) largest).isEqualTo(largest);
    assertThat((long) (float) (largest + 2)).isNotEqualTo(largest + 2);
  }
}
