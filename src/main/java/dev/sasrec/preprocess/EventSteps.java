package dev.sasrec.preprocess;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sasrec.config.Options;
import dev.sasrec.config.Refusal;
import dev.sasrec.data.DropReason;
import dev.sasrec.data.EventColumns;
import dev.sasrec.data.EventFilters;
import dev.sasrec.data.EventLog;
import dev.sasrec.data.EventReader;
import dev.sasrec.data.KCoreFilter;
import dev.sasrec.data.Sessionizer;
import dev.sasrec.io.PreprocessLayout;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Preprocess's steps from the raw log to the events of sessions long enough: parse, the filters,
 * the k-core, sessions. Each returns an immutable record of what it made: its events (cached for
 * the next step), its counts and what it removed ({@link Drops}), which {@link PreprocessJob}
 * combines. Each says when it starts and ends ({@link Progress}).
 */
final class EventSteps {

  /** Times after this are taken for a wrong --time-format. */
  static final Instant LATEST_PLAUSIBLE_TIME = Instant.parse("2200-01-01T00:00:00Z");

  // Names of the aggregates the steps read back.
  private static final String ROWS = "rows";
  private static final String LATEST = "latest";
  private static final String SESSIONS_MADE = "sessions_made";
  private static final String SHORT_SESSIONS = "short_sessions";
  private static final String SHORT_SESSION_EVENTS = "short_session_events";
  private static final String CAPPED_SEQUENCES = "capped_sequences";
  private static final String EVENTS_LEFT_OUT = "events_left_out";

  /** Rows of a step, cached, and how many. */
  record Counted(Dataset<Row> data, long count) {

    /** {@code next}, cached and counted; this step's cache is released once it is. */
    Counted then(Dataset<Row> next) {
      Dataset<Row> cached = next.persist(StorageLevel.MEMORY_AND_DISK());
      long n = cached.count();
      unpersist();
      return new Counted(cached, n);
    }

    void unpersist() {
      data.unpersist();
    }
  }

  /**
   * The parsed input, cached: every row with its reject reason (null when usable); the rejected
   * rows counted by reason.
   */
  record Parsed(Dataset<Row> rows, long rowsRead, Drops drops) {

    long rejected() {
      return drops.total();
    }

    long usable() {
      return rowsRead - rejected();
    }
  }

  /** The usable events through the filters, and what each filter removed. */
  record Cleaned(Counted events, Drops drops) {}

  /**
   * The k-core of the clean events. Its events are computed by the sessionizer: the clean events
   * and the rounds' tables stay cached until then.
   */
  record KCore(KCoreFilter.Result result, long eventsLeft, Drops drops) {}

  /**
   * Every event with its session ({@code all}, cached), the events of sessions long enough ({@code
   * kept}), the sessions made and those dropped as too short, with their events, and what the
   * sequence cap left out.
   */
  record Sessions(
      Dataset<Row> all,
      Counted kept,
      long sessionsMade,
      long sessionsDropped,
      Drops drops,
      PreprocessStats.SequenceCap cap) {}

  private final SparkSession spark;
  private final Progress progress;

  EventSteps(SparkSession spark, Progress progress) {
    this.spark = spark;
    this.progress = progress;
  }

  Parsed readAndParse(PreprocessConfig config) {
    Progress.Step step = progress.start("Read and parse " + config.log().input().uri());
    Dataset<Row> parsed =
        new EventReader(spark).read(config.log()).persist(StorageLevel.MEMORY_AND_DISK());
    long rowsRead = 0;
    Long latest = null;
    Drops rejected = Drops.NONE;
    for (Row r :
        parsed
            .groupBy(EventColumns.REASON)
            .agg(expr("count(1)").as(ROWS), max(EventColumns.TS).as(LATEST))
            .collectAsList()) {
      long n = r.getAs(ROWS);
      rowsRead += n;
      if (!isNull(r, EventColumns.REASON)) {
        rejected = rejected.plus(reasonOf(r.getAs(EventColumns.REASON)), n);
      } else if (!isNull(r, LATEST)) {
        latest = r.getAs(LATEST);
      }
    }
    Parsed result = new Parsed(parsed, rowsRead, rejected);
    step.done(
        "%,d rows read, %,d usable, %,d rejected", rowsRead, result.usable(), result.rejected());
    failIfNothingUsable(config, result);
    failIfTimesAreImplausible(config, latest);
    return result;
  }

  void writeRejected(Parsed parsed, PreprocessLayout layout) {
    Progress.Step step = progress.start("Write rejected rows");
    Dataset<Row> rejectedRows =
        parsed
            .rows()
            .filter(col(EventColumns.REASON).isNotNull())
            .select(EventColumns.REASON, EventColumns.SOURCE_FILE, EventColumns.RAW);
    // Sorted for the same output run after run; with nothing rejected, skip the sort's jobs.
    (parsed.rejected() == 0
            ? rejectedRows.limit(0)
            : rejectedRows.orderBy(EventColumns.SOURCE_FILE, EventColumns.RAW))
        .write()
        .mode(SaveMode.Overwrite)
        .json(layout.rejected().toString());
    step.done("%,d rows", parsed.rejected());
  }

  /** Usable rows through the rating and event-type filters, de-duplication and repeats. */
  Cleaned cleanEvents(Parsed parsed, PreprocessConfig.Filters filters) {
    Dataset<Row> events =
        parsed
            .rows()
            .filter(col(EventColumns.REASON).isNull())
            .drop(EventColumns.REASON, EventColumns.RAW, EventColumns.SOURCE_FILE);
    Cleaned cleaned = new Cleaned(new Counted(events, parsed.usable()), Drops.NONE);
    if (filters.minRating().isPresent()) {
      double minRating = filters.minRating().get();
      cleaned =
          filtered(
              cleaned,
              "Filter ratings below " + minRating,
              DropReason.LOW_RATING,
              data -> EventFilters.keepRatingAtLeast(data, minRating));
    }
    if (!filters.eventTypes().isEmpty()) {
      cleaned =
          filtered(
              cleaned,
              "Keep event types " + filters.eventTypes(),
              DropReason.EVENT_TYPE,
              data -> EventFilters.keepEventTypes(data, filters.eventTypes()));
    }
    cleaned =
        filtered(
            cleaned,
            "Remove exact duplicates",
            DropReason.DUPLICATE,
            data ->
                EventFilters.dropExactDuplicates(
                    data.select(EventColumns.USER, EventColumns.ITEM, EventColumns.TS)));
    parsed.rows().unpersist();
    if (filters.collapseRepeats()) {
      cleaned =
          filtered(
              cleaned,
              "Collapse consecutive repeats",
              DropReason.CONSECUTIVE_REPEAT,
              EventFilters::collapseConsecutiveRepeats);
    }
    return cleaned;
  }

  /** One filter as a step: its rows cached and counted, what it removed counted under reason. */
  private Cleaned filtered(
      Cleaned before, String description, DropReason reason, UnaryOperator<Dataset<Row>> filter) {
    Progress.Step step = progress.start(description);
    Counted after = before.events().then(filter.apply(before.events().data()));
    long removed = before.events().count() - after.count();
    step.doneFiltering(removed, after.count());
    return new Cleaned(after, before.drops().plus(reason, removed));
  }

  KCore kCore(Cleaned cleaned, PreprocessConfig.Filters filters) {
    Progress.Step step = progress.start("k-core filter");
    Counted events = cleaned.events();
    KCoreFilter.Result result =
        new KCoreFilter(filters.minItemCount(), filters.minUserCount(), filters.maxKcoreRounds())
            .apply(events.data(), events.count());
    if (result.eventsRemoved() == events.count()) {
      throw new Refusal(
          "Cannot preprocess: no event is left after the k-core filter (items with at least "
              + filters.minItemCount()
              + " events, users with at least "
              + filters.minUserCount()
              + "; "
              + events.count()
              + " events before it); lower "
              + PreprocessConfig.Key.MIN_USER_COUNT.flag()
              + " and "
              + PreprocessConfig.Key.MIN_ITEM_COUNT.flag());
    }
    long left = events.count() - result.eventsRemoved();
    step.done(
        "%d rounds, %,d events removed, %,d left",
        result.rounds().size(), result.eventsRemoved(), left);
    return new KCore(result, left, Drops.of(DropReason.K_CORE, result.eventsRemoved()));
  }

  Sessions sessionize(KCore kcore, Cleaned cleaned, PreprocessConfig.Sessions sessions) {
    Progress.Step step = progress.start("Sessionize");
    int minLength = sessions.minLength();
    Dataset<Row> sessionized =
        new Sessionizer(sessions.gap())
            .sessionize(kcore.result().events())
            .persist(StorageLevel.MEMORY_AND_DISK());
    Column first = col(EventColumns.POSITION).equalTo(0);
    Column tooShort = col(EventColumns.SESSION_LENGTH).lt(minLength);
    Column capped = col(EventColumns.SESSION_LENGTH).gt(sessions.maxEvents());
    Row counts =
        sessionized
            .agg(
                sum(when(first, 1L).otherwise(0L)).as(SESSIONS_MADE),
                sum(when(first.and(tooShort), 1L).otherwise(0L)).as(SHORT_SESSIONS),
                sum(when(tooShort, 1L).otherwise(0L)).as(SHORT_SESSION_EVENTS),
                sum(when(first.and(capped), 1L).otherwise(0L)).as(CAPPED_SEQUENCES),
                sum(when(not(Sessionizer.withinCap(sessions.maxEvents())), 1L).otherwise(0L))
                    .as(EVENTS_LEFT_OUT))
            .first();
    long made = sumOf(counts, SESSIONS_MADE);
    long dropped = sumOf(counts, SHORT_SESSIONS);
    long droppedEvents = sumOf(counts, SHORT_SESSION_EVENTS);
    PreprocessStats.SequenceCap cap =
        new PreprocessStats.SequenceCap(
            sessions.maxEvents(), sumOf(counts, CAPPED_SEQUENCES), sumOf(counts, EVENTS_LEFT_OUT));
    kcore.result().release();
    cleaned.events().unpersist();
    Counted kept =
        new Counted(
            Sessionizer.dropShortSessions(sessionized, minLength),
            kcore.eventsLeft() - droppedEvents);
    step.done(
        "%,d sessions made, %,d shorter than %d dropped (%,d events), %,d events kept",
        made, dropped, minLength, droppedEvents, kept.count());
    if (cap.sequencesCapped() > 0) {
      progress.line(
          String.format(
              Locale.ROOT,
              "Preprocess: %,d sequences longer than %s %,d keep their most recent events:"
                  + " %,d older events left out of the sequences (stats.json: sequenceCap)",
              cap.sequencesCapped(),
              PreprocessConfig.Key.MAX_SEQUENCE_EVENTS.flag(),
              cap.maxEvents(),
              cap.eventsLeftOut()));
    }
    return new Sessions(
        sessionized, kept, made, dropped, Drops.of(DropReason.SHORT_SESSION, droppedEvents), cap);
  }

  /** A refusal naming the input and every drop count, which say where the rows went. */
  static Refusal nothingLeft(String refusal, PreprocessConfig config, Drops dropped) {
    return new Refusal(
        refusal
            + " ("
            + config.log().input().uri()
            + "; see the drop counts: "
            + dropped.byKey()
            + ")");
  }

  /** Fails when not one row is usable, naming the role column that is missing everywhere. */
  private static void failIfNothingUsable(PreprocessConfig config, Parsed parsed) {
    if (parsed.rowsRead() == 0) {
      throw new Refusal(
          "Cannot preprocess: the input has no rows (" + config.log().input().uri() + ")");
    }
    if (parsed.usable() > 0) {
      return;
    }
    EventLog.Columns columns = config.log().columns();
    Map<DropReason, String> roles =
        Map.of(
            DropReason.MISSING_USER, EventLog.Key.USER_COL.flag() + " " + columns.user(),
            DropReason.MISSING_ITEM, EventLog.Key.ITEM_COL.flag() + " " + columns.item(),
            DropReason.MISSING_TIMESTAMP, EventLog.Key.TIME_COL.flag() + " " + columns.time(),
            DropReason.BAD_TIMESTAMP,
                EventLog.Key.TIME_FORMAT.flag() + " " + config.log().time().kind());
    for (Map.Entry<DropReason, String> role : roles.entrySet()) {
      if (parsed.drops().get(role.getKey()) == parsed.rowsRead()) {
        throw new Refusal(
            "Cannot preprocess: every row is "
                + role.getKey().key()
                + " ("
                + role.getValue()
                + ", "
                + config.log().input().uri()
                + ")");
      }
    }
    throw nothingLeft("Cannot preprocess: every row was rejected", config, parsed.drops());
  }

  /**
   * Refuses a log whose latest time is after {@link #LATEST_PLAUSIBLE_TIME}: times in milliseconds
   * read as seconds land in the year 30,000 or so and would make every session gap meaningless.
   * Decision: only the late bound is checked; early times (seconds read as milliseconds land in
   * 1970) are also what small hand-written logs use, so they are accepted.
   */
  private static void failIfTimesAreImplausible(PreprocessConfig config, Long latestMillis) {
    if (latestMillis != null && latestMillis > LATEST_PLAUSIBLE_TIME.toEpochMilli()) {
      throw new Refusal(
          "Cannot preprocess: the latest time is "
              + Instant.ofEpochMilli(latestMillis)
              + ", after "
              + LATEST_PLAUSIBLE_TIME
              + "; milliseconds read as seconds? set "
              + EventLog.Key.TIME_FORMAT.flag()
              + " (now "
              + Options.cliName(config.log().time().kind())
              + ", e.g. epoch-millis) ("
              + config.log().input().uri()
              + ")");
    }
  }

  /** A sum of an aggregate row, read by name: over no rows it is null, which counts as 0. */
  private static long sumOf(Row row, String column) {
    return isNull(row, column) ? 0 : row.<Long>getAs(column);
  }

  /** Whether an aggregate row's column, read by name, is null. */
  private static boolean isNull(Row row, String column) {
    return row.isNullAt(row.fieldIndex(column));
  }

  private static DropReason reasonOf(String key) {
    for (DropReason reason : DropReason.values()) {
      if (reason.key().equals(key)) {
        return reason;
      }
    }
    throw new IllegalStateException("Cannot count rejects: unknown reason (" + key + ")");
  }
}
