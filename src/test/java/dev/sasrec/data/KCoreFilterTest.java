package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.SparkTestSession;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class KCoreFilterTest {

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void repeatsUntilAFixedPoint() {
    // 2-core. Round 1 removes item z (1 event); user w then has 1 event and goes.
    // Round 2: item y is left with 1 event (only from u) and goes; no user goes: fixed point.
    Dataset<Row> events =
        spark.sql(
            "select user, item, cast(ts as long) ts from values "
                + "('u','x',1),('u','y',2),('v','x',3),('v','q',4),('u','q',5),"
                + "('w','y',6),('w','z',7) as t(user,item,ts)");
    KCoreFilter.Result result = new KCoreFilter(2, 2, 10).apply(events, 7);
    List<String> left =
        result.events().orderBy("ts").collectAsList().stream()
            .map(r -> r.getString(0) + r.getString(1))
            .toList();
    assertThat(left).containsExactly("ux", "vx", "vq", "uq");
    assertThat(result.converged()).isTrue();
    assertThat(result.rounds())
        .containsExactly(
            new KCoreFilter.Round(1, 1, 1, 2, 5), new KCoreFilter.Round(2, 1, 0, 1, 4));
    assertThat(result.eventsRemoved()).isEqualTo(3);
  }

  @Test
  void stopsAtTheRoundLimit() {
    Dataset<Row> events =
        spark.sql(
            "select user, item, cast(ts as long) ts from values "
                + "('u','x',1),('u','y',2),('v','x',3),('v','q',4),('u','q',5),"
                + "('w','y',6),('w','z',7) as t(user,item,ts)");
    KCoreFilter.Result result = new KCoreFilter(2, 2, 1).apply(events, 7);
    assertThat(result.converged()).isFalse();
    assertThat(result.events().count()).isEqualTo(5);
  }
}
