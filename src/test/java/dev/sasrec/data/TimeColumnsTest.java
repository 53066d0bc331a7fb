package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.SparkTestSession;
import java.time.ZoneId;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class TimeColumnsTest {

  private final SparkSession spark = SparkTestSession.get();

  private List<Long> millis(String format, String... texts) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < texts.length; i++) {
      values
          .append(i == 0 ? "" : ", ")
          .append("(")
          .append(i)
          .append(", ")
          .append(texts[i] == null ? "null" : "'" + texts[i] + "'")
          .append(")");
    }
    return withMillis(format, spark.sql("select * from values " + values + " as t(i, t)"))
        .orderBy("i")
        .select("ms")
        .collectAsList()
        .stream()
        .map(r -> r.isNullAt(0) ? null : r.getLong(0))
        .toList();
  }

  private Dataset<Row> withMillis(String format, Dataset<Row> rows) {
    return TimeColumns.withMillis(spark, rows, TimeSpec.of(format, ZoneId.of("UTC")), "t", "ms");
  }

  @Test
  void eachRowsTextIsParsedOnce() {
    for (String format : List.of("epoch-seconds", "epoch-millis")) {
      String plan =
          withMillis(format, spark.range(1).selectExpr("cast(id + 874724710 as string) as t"))
              .queryExecution()
              .optimizedPlan()
              .toString();
      // The range check reads the number three times; it must read a column, not the parse.
      assertThat(plan.split("try_cast\\(", -1)).as(plan).hasSize(2);
    }
  }

  @Test
  void epochSeconds() {
    assertThat(
            millis(
                "epoch-seconds",
                "874724710",
                " 1.5 ",
                "1704067200.123",
                "not-a-time",
                "",
                null,
                "1e400"))
        .containsExactly(874_724_710_000L, 1_500L, 1_704_067_200_123L, null, null, null, null);
  }

  @Test
  void epochMillis() {
    assertThat(millis("epoch-millis", "874724710123", "12.4", "x"))
        .containsExactly(874_724_710_123L, 12L, null);
  }

  @Test
  void isoGoesThroughTheParser() {
    assertThat(millis("iso-8601", "2010-10-19T23:55:27Z", "nope"))
        .containsExactly(1_287_532_527_000L, null);
  }
}
