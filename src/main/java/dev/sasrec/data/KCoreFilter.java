package dev.sasrec.data;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.sasrec.text.Figures;
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

  /**
   * Share of the events a round must be below the last cached table to be cached itself: below it,
   * the anti-joins on the cached table cost less than caching the whole log again (at 10 M events
   * the second round removes nothing and used to cache 9.97 M rows to find that out).
   */
  static final double REBASE_SHARE = 0.1;

  /** The count column of groupBy().count(). */
  private static final String COUNT = "count";

  /** What one round removed, and how many events were left after it. */
  public record Round(
      int round, long itemsRemoved, long usersRemoved, long eventsRemoved, long eventsLeft) {}

  /**
   * The filtered events and the rounds it took. The events are not computed yet (no pass is spent
   * on counting them): the caller computes them with its next step, then calls {@link #release} to
   * drop the tables their plan reads.
   */
  public record Result(
      Dataset<Row> events, List<Round> rounds, boolean converged, List<Dataset<Row>> cached) {
    public long eventsRemoved() {
      return rounds.stream().mapToLong(Round::eventsRemoved).sum();
    }

    /** Unpersists the intermediate tables; call after the events have been computed. */
    public void release() {
      cached.forEach(Dataset::unpersist);
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
    // The last cached table the current events are computed from, and the rare-id tables of the
    // rounds since (the current events are that table without those ids: cheap broadcast or
    // co-partitioned anti-joins). A round that starts REBASE_SHARE or more below that table caches
    // its input anew; its aggregations compute it, after which the old chain can go.
    Dataset<Row> base = events;
    long baseCount = eventCount;
    List<Dataset<Row>> chain = new ArrayList<>();
    Dataset<Row> current = events;
    long count = eventCount;
    for (int round = 1; round <= maxRounds; round++) {
      boolean rebase = current != base && baseCount - count >= REBASE_SHARE * baseCount;
      if (rebase) {
        // Read by this round's two aggregations and the next table: computed once.
        current.persist(StorageLevel.MEMORY_AND_DISK());
      }
      Dataset<Row> rareItems = rare(current, EventColumns.ITEM, minItemCount);
      // Rare items are at most the catalogue: broadcast, so that the events keep their partitioning
      // by user (a sort-merge join would shuffle the whole log by item). Rare users are joined
      // on that partitioning as it is, however many they are.
      Dataset<Row> afterItems = without(current, broadcast(rareItems), EventColumns.ITEM);
      Dataset<Row> rareUsers = rare(afterItems, EventColumns.USER, minUserCount);
      Dataset<Row> next = without(afterItems, rareUsers, EventColumns.USER);
      // Removed events are the rare ids' counts: no pass over the remaining events is needed
      // (the caller's next step computes them).
      long[] items = idsAndEvents(rareItems);
      long[] users = idsAndEvents(rareUsers);
      if (rebase) {
        chain.forEach(Dataset::unpersist);
        chain.clear();
        if (base != events) {
          base.unpersist();
        }
        base = current;
        baseCount = count;
      }
      chain.add(rareItems);
      chain.add(rareUsers);
      long left = count - items[1] - users[1];
      rounds.add(new Round(round, items[0], users[0], count - left, left));
      LOG.info(
          "k-core round {}: removed {} items, {} users, {} events; {} events left",
          round,
          Figures.count(items[0]),
          Figures.count(users[0]),
          Figures.count(count - left),
          Figures.count(left));
      current = next;
      // The item step left every item at min count; if the user step then removed nobody,
      // item counts did not change either: a fixed point, with no confirming round needed.
      if (users[0] == 0) {
        return new Result(current, rounds, true, readBy(chain, base, events));
      }
      count = left;
    }
    return new Result(current, rounds, false, readBy(chain, base, events));
  }

  /** The cached tables the result's plan reads, for {@link Result#release}; not the input. */
  private static List<Dataset<Row>> readBy(
      List<Dataset<Row>> chain, Dataset<Row> base, Dataset<Row> events) {
    List<Dataset<Row>> cached = new ArrayList<>(chain);
    if (base != events) {
      cached.add(base);
    }
    return cached;
  }

  /**
   * The ids below the minimum with their event counts, cached: the caller counts them and joins
   * them (one aggregation).
   */
  private static Dataset<Row> rare(Dataset<Row> events, String column, int min) {
    return events
        .groupBy(column)
        .count()
        .filter(col(COUNT).lt(min))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** The events whose {@code column} is none of the {@code rare} ids. */
  private static Dataset<Row> without(Dataset<Row> events, Dataset<Row> rare, String column) {
    return events.join(rare, events.col(column).equalTo(rare.col(column)), "left_anti");
  }

  /** How many rare ids, and how many events they have. */
  private static long[] idsAndEvents(Dataset<Row> rare) {
    Row r = rare.agg(count(lit(1)), sum(col(COUNT))).first();
    return new long[] {r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1)};
  }
}
