package dev.sasrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.SparkTestSession;
import dev.sasrec.io.ExampleRow;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** How many validation examples an epoch ranks, and which (Spark picks them). */
@Tag("spark")
class ValidationSampleTest {

  @Test
  void parsesAllAutoAndAPositiveNumber() {
    assertThat(ValidationSample.parse("all")).isEqualTo(ValidationSample.ALL);
    assertThat(ValidationSample.parse(" AUTO ")).isEqualTo(ValidationSample.AUTO);
    assertThat(ValidationSample.parse("500")).isEqualTo(ValidationSample.atMost(500));
    for (String bad : List.of("0", "-3", "some", "")) {
      assertThatThrownBy(() -> ValidationSample.parse(bad))
          .as(bad)
          .hasMessage("expected all, auto or a positive number");
    }
  }

  @Test
  void autoRanksEveryExampleOfASmallCatalogueAndABudgetOfALargeOne() {
    // ML-1M: 6,040 examples x 3,416 items is far within the budget.
    assertThat(ValidationSample.AUTO.size(6_040, 3_416)).isEqualTo(6_040);
    // Issue 25's catalogue: 1.5e9 / 634,381 = 2,364.5.
    assertThat(ValidationSample.AUTO.size(20_000, 634_381)).isEqualTo(2_364);
    assertThat(ValidationSample.AUTO.size(20_000, 100_000_000)).isEqualTo(1_000);
    assertThat(ValidationSample.AUTO.size(300, 100_000_000)).isEqualTo(300);
    assertThat(ValidationSample.ALL.size(20_000, 634_381)).isEqualTo(20_000);
    assertThat(ValidationSample.atMost(50).size(20_000, 10)).isEqualTo(50);
    assertThat(ValidationSample.AUTO.describe(20_000, 634_381))
        .isEqualTo("2,364 of 20,000 examples (auto: at most 1,500,000,000 item scores)");
    assertThat(ValidationSample.AUTO.describe(6_040, 3_416)).isEqualTo("all 6,040 examples");
    assertThat(ValidationSample.atMost(500).describe(6_040, 3_416))
        .isEqualTo("500 of 6,040 examples (at most 500)");
  }

  private static ExampleRow row(int user) {
    return new ExampleRow(user, 0, new int[] {0, 1, 2}, new int[] {0, 2, 3}, 3, new int[] {1, 2});
  }

  private static List<Integer> users(JavaRDD<ExampleRow> rows) {
    return rows.map(ExampleRow::userIndex).collect().stream().sorted().toList();
  }

  @Test
  void aSampleIsFixedBySeedAndHasTheAskedSize() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    JavaRDD<ExampleRow> rows =
        sc.parallelize(IntStream.range(1, 201).mapToObj(ValidationSampleTest::row).toList(), 3);

    List<Integer> first = users(ValidationSample.select(rows, 200, 30, 7));
    List<Integer> again = users(ValidationSample.select(rows.repartition(5), 200, 30, 7));
    List<Integer> otherSeed = users(ValidationSample.select(rows, 200, 30, 8));

    assertThat(first).hasSize(30).doesNotHaveDuplicates();
    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).hasSize(30).isNotEqualTo(first);
    assertThat(users(ValidationSample.select(rows, 200, 200, 7))).hasSize(200);
  }
}
