package dev.sasrec.preprocess;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.OptionSet;
import dev.sasrec.config.Options;
import dev.sasrec.config.UsageException;
import dev.sasrec.data.EventLog;
import dev.sasrec.data.ItemMeta;
import dev.sasrec.data.SplitKind;
import dev.sasrec.io.JobOutput;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * The typed, validated configuration of the Preprocess job. Defaults: conf/preprocess.properties;
 * the log and the item metadata declare and read their own options ({@link EventLog}, {@link
 * ItemMeta}).
 */
public record PreprocessConfig(
    EventLog log,
    Filters filters,
    Sessions sessions,
    Split split,
    Optional<ItemMeta> itemMeta,
    int maxLen,
    String output,
    boolean overwrite,
    boolean dryRun,
    Map<String, String> resolvedOptions) {

  /** The options of conf/preprocess.properties besides the log's and the item metadata's. */
  public enum Key implements OptionKey {
    OUTPUT,
    OVERWRITE,
    MIN_RATING,
    EVENT_TYPES,
    COLLAPSE_REPEATS,
    MIN_ITEM_COUNT,
    MIN_USER_COUNT,
    MAX_KCORE_ROUNDS,
    SESSION_GAP,
    MIN_SESSION_LENGTH,
    SPLIT,
    SPLIT_TIME,
    MAX_LEN,
    DRY_RUN
  }

  /** Every option of the job and its defaults file. */
  public static final OptionSet OPTIONS =
      OptionSet.of("preprocess", EventLog.Key.values(), ItemMeta.Key.values(), Key.values());

  /** Event filters applied before sessionization. */
  public record Filters(
      Optional<Double> minRating,
      List<String> eventTypes,
      boolean collapseRepeats,
      int minItemCount,
      int minUserCount,
      int maxKcoreRounds) {
    public Filters {
      eventTypes = List.copyOf(eventTypes);
      if (minItemCount < 1 || minUserCount < 1 || maxKcoreRounds < 1) {
        throw new UsageException("Cannot define filters: counts and rounds must be at least 1");
      }
    }
  }

  /** Sessionization: an empty gap keeps each user's whole history as one sequence. */
  public record Sessions(Optional<Duration> gap, int minLength) {
    /** One input item and one target are the least a sequence can train on. */
    public static final int MIN_USEFUL_LENGTH = 2;

    public Sessions {
      if (minLength < MIN_USEFUL_LENGTH) {
        throw Options.bad(
            Key.MIN_SESSION_LENGTH,
            String.valueOf(minLength),
            "must be at least " + MIN_USEFUL_LENGTH);
      }
    }
  }

  /** The split; {@code cutoff} only for {@link SplitKind#TEMPORAL}. */
  public record Split(SplitKind kind, Optional<Instant> cutoff) {
    public Split {
      if (kind == SplitKind.TEMPORAL && cutoff.isEmpty()) {
        throw new UsageException(
            "Cannot run: "
                + Key.SPLIT.flag()
                + " "
                + Options.cliName(SplitKind.TEMPORAL)
                + " needs "
                + Key.SPLIT_TIME.flag());
      }
    }
  }

  public PreprocessConfig {
    Objects.requireNonNull(output, "output");
    if (maxLen < 1) {
      throw Options.bad(Key.MAX_LEN, String.valueOf(maxLen), "must be at least 1");
    }
    resolvedOptions = Map.copyOf(resolvedOptions);
  }

  /** Builds the configuration from resolved options, validating every value. */
  public static PreprocessConfig from(Options o) {
    EventLog log = EventLog.from(o);
    return new PreprocessConfig(
        log,
        filters(o, log.columns()),
        new Sessions(o.durationOrNone(Key.SESSION_GAP), o.integer(Key.MIN_SESSION_LENGTH)),
        new Split(
            o.choice(Key.SPLIT, SplitKind.class),
            o.optional(Key.SPLIT_TIME).map(v -> parseInstant(Key.SPLIT_TIME, v))),
        ItemMeta.from(o),
        o.integerAtLeast(Key.MAX_LEN, 1),
        o.required(Key.OUTPUT),
        o.bool(Key.OVERWRITE),
        o.bool(Key.DRY_RUN),
        o.asMap());
  }

  /** The output directory, which may contain neither the log nor the item metadata. */
  public JobOutput.Target outputTarget() {
    JobOutput.Target target =
        JobOutput.Target.dataset(
                "Preprocess",
                new Path(output),
                JobOutput.IfExists.replaceWhen(overwrite),
                Key.OVERWRITE)
            .readingFrom(new Path(log.input().uri()));
    return itemMeta.map(meta -> target.readingFrom(new Path(meta.uri()))).orElse(target);
  }

  private static Filters filters(Options o, EventLog.Columns columns) {
    Optional<Double> minRating = o.optionalDecimal(Key.MIN_RATING);
    if (minRating.isPresent() && columns.rating().isEmpty()) {
      throw new UsageException(
          "Cannot run: " + Key.MIN_RATING.flag() + " needs " + EventLog.Key.RATING_COL.flag());
    }
    List<String> eventTypes = o.list(Key.EVENT_TYPES);
    if (!eventTypes.isEmpty() && columns.event().isEmpty()) {
      throw new UsageException(
          "Cannot run: " + Key.EVENT_TYPES.flag() + " needs " + EventLog.Key.EVENT_COL.flag());
    }
    return new Filters(
        minRating,
        eventTypes,
        o.bool(Key.COLLAPSE_REPEATS),
        o.integerAtLeast(Key.MIN_ITEM_COUNT, 1),
        o.integerAtLeast(Key.MIN_USER_COUNT, 1),
        o.integerAtLeast(Key.MAX_KCORE_ROUNDS, 1));
  }

  private static Instant parseInstant(OptionKey key, String value) {
    try {
      return value.chars().allMatch(Character::isDigit)
          ? Instant.ofEpochSecond(Long.parseLong(value))
          : Instant.parse(value);
    } catch (DateTimeException | NumberFormatException e) {
      throw Options.bad(key, value, "expected an ISO-8601 instant or epoch seconds");
    }
  }
}
