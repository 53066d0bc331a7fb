package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.SparkTestSession;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class SessionizerTest {

  private final SparkSession spark = SparkTestSession.get();

  /** Events as (user, item, ts in ms). */
  private Dataset<Row> events(String values) {
    return spark.sql(
        "select user, item, cast(ts as long) as ts from values "
            + values
            + " as t(user, item, ts)");
  }

  private List<String> sessions(Dataset<Row> sessionized) {
    return sessionized.orderBy("user", "session", "position").collectAsList().stream()
        .map(
            r ->
                r.getAs("user")
                    + ":"
                    + r.getAs("session")
                    + ":"
                    + r.getAs("position")
                    + ":"
                    + r.getAs("item"))
        .toList();
  }

  @Test
  void aGapExactlyEqualToTheThresholdStaysInTheSession() {
    Dataset<Row> e = events("('u', 'a', 0), ('u', 'b', 60000), ('u', 'c', 120001)");
    Sessionizer oneMinute = new Sessionizer(Optional.of(Duration.ofMinutes(1)));
    // 0 -> 60000 is exactly 1 minute: same session; 60000 -> 120001 is 1 ms more: new session.
    assertThat(sessions(oneMinute.sessionize(e))).containsExactly("u:0:0:a", "u:0:1:b", "u:1:0:c");
  }

  @Test
  void tiesInTimeAreBrokenByNumericItemIdThenText() {
    Dataset<Row> e = events("('u', '10', 5), ('u', '9', 5), ('u', 'x', 5), ('u', '2', 1)");
    assertThat(sessions(new Sessionizer(Optional.empty()).sessionize(e)))
        .containsExactly("u:0:0:2", "u:0:1:9", "u:0:2:10", "u:0:3:x");
  }

  @Test
  void withoutAGapTheWholeHistoryIsOneSession() {
    Dataset<Row> e = events("('u', 'a', 0), ('u', 'b', 999999999), ('v', 'c', 3), ('v', 'd', 1)");
    assertThat(sessions(new Sessionizer(Optional.empty()).sessionize(e)))
        .containsExactly("u:0:0:a", "u:0:1:b", "v:0:0:d", "v:0:1:c");
  }

  @Test
  void shortSessionsAreDropped() {
    Dataset<Row> e = events("('u', 'a', 0), ('u', 'b', 1000), ('u', 'c', 999999)");
    Dataset<Row> s = new Sessionizer(Optional.of(Duration.ofSeconds(10))).sessionize(e);
    assertThat(sessions(Sessionizer.dropShortSessions(s, 2))).containsExactly("u:0:0:a", "u:0:1:b");
  }
}
