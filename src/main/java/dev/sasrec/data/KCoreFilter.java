package dev.sasrec.data;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeatedly removes items with fewer than {@code minItemCount} events and users with fewer than
 * {@code minUserCount} events until nothing changes (the k-core) or the round limit is reached.
 */
public final class KCoreFilter {

  private static final Logger LOG = LoggerFactory.getLogger(KCoreFilter.class);

  /** What one round removed, and how many events were left after it. */
  public record Round(
      int round, long itemsRemoved, long usersRemoved, long eventsRemoved, long eventsLeft) {}

  /** The filtered events (cached; the caller unpersists) and the rounds it took. */
  public record Result(Dataset<Row> events, List<Round> rounds, boolean converged) {
    public long eventsRemoved() {
      return rounds.stream().mapToLong(Round::eventsRemoved).sum();
    }
  }

  private final int minItemCount;
  private final int minUserCount;
  private final int maxRounds;

  public KCoreFilter(int minItemCount, int minUserCount, int maxRounds) {
    if (minItemCount < 1 || minUserCount < 1 || maxRounds < 1) {
      throw new IllegalArgumentException(
          "Cannot build k-core filter: counts and rounds must be at least 1");
    }
    this.minItemCount = minItemCount;
    this.minUserCount = minUserCount;
    this.maxRounds = maxRounds;
  }

  /** {@code eventCount} is the number of rows of {@code events}, already known to the caller. */
  public Result apply(Dataset<Row> events, long eventCount) {
    List<Round> rounds = new ArrayList<>();
    Dataset<Row> current = events;
    long count = eventCount;
    for (int round = 1; round <= maxRounds; round++) {
      Dataset<Row> rareItems = rare(current, EventColumns.ITEM, minItemCount);
      Dataset<Row> afterItems =
          current.join(
              rareItems,
              current.col(EventColumns.ITEM).equalTo(rareItems.col(EventColumns.ITEM)),
              "left_anti");
      Dataset<Row> rareUsers = rare(afterItems, EventColumns.USER, minUserCount);
      Dataset<Row> next =
          afterItems
              .join(
                  rareUsers,
                  afterItems.col(EventColumns.USER).equalTo(rareUsers.col(EventColumns.USER)),
                  "left_anti")
              .persist(StorageLevel.MEMORY_AND_DISK());
      long itemsRemoved = rareItems.count();
      long usersRemoved = rareUsers.count();
      long left = next.count();
      rareItems.unpersist();
      rareUsers.unpersist();
      rounds.add(new Round(round, itemsRemoved, usersRemoved, count - left, left));
      LOG.info(
          "k-core round {}: removed {} items, {} users, {} events; {} events left",
          round,
          itemsRemoved,
          usersRemoved,
          count - left,
          left);
      if (current != events) {
        current.unpersist();
      }
      current = next;
      // The item step left every item at min count; if the user step then removed nobody,
      // item counts did not change either: a fixed point, with no confirming round needed.
      if (usersRemoved == 0) {
        return new Result(current, rounds, true);
      }
      count = left;
    }
    return new Result(current, rounds, false);
  }

  /** The ids below the minimum, cached: the caller counts them and joins them (one aggregation). */
  private static Dataset<Row> rare(Dataset<Row> events, String column, int min) {
    return events
        .groupBy(column)
        .count()
        .filter(col("count").lt(min))
        .select(column)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }
}
