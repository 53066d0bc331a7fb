package dev.sasrec.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/** Event-level cleaning steps on the event table ({@link EventColumns}). Pure functions. */
public final class EventFilters {

  private EventFilters() {}

  /** Keeps events rated at least {@code min}. */
  public static Dataset<Row> keepRatingAtLeast(Dataset<Row> events, double min) {
    return events.filter(col(EventColumns.RATING).geq(min));
  }

  /** Keeps events whose type is in the allow-list. */
  public static Dataset<Row> keepEventTypes(Dataset<Row> events, List<String> types) {
    return events.filter(col(EventColumns.EVENT).isin(types.toArray()));
  }

  /**
   * Removes exact duplicates: the same user, item and time (other columns are ignored). Decision:
   * on each user's timeline, where a duplicate follows its original, rather than by a hash
   * aggregation on all three columns: the events come out partitioned by user, in timeline order
   * and with {@link EventColumns#ITEM_ORDER}, which the k-core's joins keep and the later windows
   * (repeats, sessions) reuse, so the whole log is shuffled and sorted once instead of twice.
   */
  public static Dataset<Row> dropExactDuplicates(Dataset<Row> events) {
    String previousItem = "previous_item";
    String previousTs = "previous_ts";
    return withItemOrder(events)
        .withColumn(previousItem, lag(col(EventColumns.ITEM), 1).over(userTimeline()))
        .withColumn(previousTs, lag(col(EventColumns.TS), 1).over(userTimeline()))
        .filter(
            col(previousItem)
                .isNull()
                .or(col(previousItem).notEqual(col(EventColumns.ITEM)))
                .or(col(previousTs).notEqual(col(EventColumns.TS))))
        .drop(previousItem, previousTs);
  }

  /**
   * Removes an event whose item equals the item of the same user's previous event; {@link
   * EventColumns#ITEM_ORDER} stays for the sessionizer's windows on the same timeline.
   */
  public static Dataset<Row> collapseConsecutiveRepeats(Dataset<Row> events) {
    String previous = "previous_item";
    return withItemOrder(events)
        .withColumn(previous, lag(col(EventColumns.ITEM), 1).over(userTimeline()))
        .filter(col(previous).isNull().or(col(previous).notEqual(col(EventColumns.ITEM))))
        .drop(previous);
  }

  /**
   * Adds {@link EventColumns#ITEM_ORDER} unless present: ties in time are broken by the raw item
   * id, as a number when it is one (so 9 comes before 10), then as text.
   */
  public static Dataset<Row> withItemOrder(Dataset<Row> events) {
    if (Arrays.asList(events.columns()).contains(EventColumns.ITEM_ORDER)) {
      // The same column, not a recomputed one: the timeline sort done before still applies.
      return events;
    }
    return events.withColumn(
        EventColumns.ITEM_ORDER,
        col(EventColumns.ITEM).cast(org.apache.spark.sql.types.DataTypes.LongType));
  }

  /** Each user's events in time order with deterministic ties; needs {@link #withItemOrder}. */
  public static WindowSpec userTimeline() {
    return Window.partitionBy(EventColumns.USER)
        .orderBy(
            col(EventColumns.TS),
            col(EventColumns.ITEM_ORDER).asc_nulls_last(),
            col(EventColumns.ITEM));
  }
}
