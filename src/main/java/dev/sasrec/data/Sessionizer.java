package dev.sasrec.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Splits each user's time-ordered events into sessions.
 *
 * <p>Order: by time, ties broken by the raw item id (numerically when it is a number, then as
 * text), so the same input always gives the same sequences. A new session starts when the gap to
 * the previous event is strictly greater than the session gap: a gap exactly equal to it stays in
 * the same session. Without a gap the user's whole history is one session.
 */
public final class Sessionizer {

  private final Optional<Duration> gap;

  public Sessionizer(Optional<Duration> gap) {
    this.gap = gap;
  }

  /**
   * Adds {@link EventColumns#SESSION}, {@link EventColumns#POSITION} and {@link
   * EventColumns#SESSION_LENGTH}.
   */
  public Dataset<Row> sessionize(Dataset<Row> events) {
    WindowSpec timeline = EventFilters.userTimeline();
    Dataset<Row> ordered = EventFilters.withItemOrder(events);
    Column session;
    if (gap.isPresent()) {
      String startsSession = "starts_session";
      Column previousTs = lag(col(EventColumns.TS), 1).over(timeline);
      ordered =
          ordered.withColumn(
              startsSession,
              when(
                      previousTs
                          .isNull()
                          .or(col(EventColumns.TS).minus(previousTs).gt(gap.get().toMillis())),
                      lit(1))
                  .otherwise(lit(0)));
      // A running sum over rows (not a range: equal times must not count as peers).
      WindowSpec upToHere = timeline.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
      session = sum(col(startsSession)).over(upToHere).minus(1).cast("int");
      ordered = ordered.withColumn(EventColumns.SESSION, session).drop(startsSession);
    } else {
      ordered = ordered.withColumn(EventColumns.SESSION, lit(0));
    }
    WindowSpec withinSession =
        Window.partitionBy(EventColumns.USER, EventColumns.SESSION)
            .orderBy(
                col(EventColumns.TS),
                col(EventColumns.ITEM_ORDER).asc_nulls_last(),
                col(EventColumns.ITEM));
    return ordered
        .withColumn(EventColumns.POSITION, row_number().over(withinSession).minus(1))
        .withColumn(
            EventColumns.SESSION_LENGTH,
            count(lit(1)).over(Window.partitionBy(EventColumns.USER, EventColumns.SESSION)))
        .drop(EventColumns.ITEM_ORDER);
  }

  /**
   * Keeps sessions with at least {@code minLength} events ({@link EventColumns#SESSION_LENGTH}
   * stays: the sequence cap reads it).
   */
  public static Dataset<Row> dropShortSessions(Dataset<Row> sessionized, int minLength) {
    return sessionized.filter(col(EventColumns.SESSION_LENGTH).geq(minLength));
  }

  /**
   * Whether an event is among the {@code maxEvents} most recent of its session: what a sequence
   * keeps of a heavy user's history.
   */
  public static Column withinCap(int maxEvents) {
    return col(EventColumns.SESSION_LENGTH).minus(col(EventColumns.POSITION)).leq(maxEvents);
  }
}
