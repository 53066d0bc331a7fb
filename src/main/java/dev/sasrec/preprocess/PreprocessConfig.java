package dev.sasrec.preprocess;

import dev.sasrec.config.OptionSet;
import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
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

  /** The options of Preprocess besides the log's and the item metadata's, each declared once. */
  public static final class Key {
    private Key() {}

    public static final Param<String> OUTPUT =
        Param.uri("output")
            .required()
            .doc("Output location: any Hadoop URI or path; the layout: docs/output-layout.md.");

    public static final Param<Boolean> OVERWRITE =
        Param.bool("overwrite", false)
            .doc(
                "Replace an existing output (true) or fail when the output already exists "
                    + "(false).");

    public static final Param<Optional<Double>> MIN_RATING =
        Param.optionalDecimal("min-rating")
            .doc(
                "Keep only events whose rating is at least this (needs rating-col); empty = keep "
                    + "all.");

    public static final Param<List<String>> EVENT_TYPES =
        Param.list("event-types")
            .doc("Allow-list of event types, comma-separated (needs event-col); empty = keep all.");

    public static final Param<Boolean> COLLAPSE_REPEATS =
        Param.bool("collapse-repeats", false)
            .doc(
                "Drop an event whose item equals the user's previous event's item (consecutive "
                    + "repeats).");

    public static final Param<Integer> MIN_ITEM_COUNT =
        Param.integer("min-item-count", 5)
            .atLeast(1)
            .doc(
                "k-core: an item needs at least this many events (applied with min-user-count "
                    + "until nothing changes).");

    public static final Param<Integer> MIN_USER_COUNT =
        Param.integer("min-user-count", 5)
            .atLeast(1)
            .doc("k-core: a user needs at least this many events.");

    public static final Param<Integer> MAX_KCORE_ROUNDS =
        Param.integer("max-kcore-rounds", 50)
            .atLeast(1)
            .doc(
                "k-core: the most filtering rounds before giving up on a fixed point (the result "
                    + "is still written).");

    public static final Param<Optional<Duration>> SESSION_GAP =
        Param.durationOrNone("session-gap", "none")
            .doc(
                "Session gap: a new session starts after more than this inactivity (45s, 30m, 2h, "
                    + "1d); none = one sequence per user.");

    public static final Param<Integer> MIN_SESSION_LENGTH =
        Param.integer("min-session-length", 2)
            .atLeast(Sessions.MIN_USEFUL_LENGTH)
            .doc("Sessions with fewer events are dropped (at least 2: one input and one target).");

    public static final Param<Integer> MAX_SEQUENCE_EVENTS =
        Param.integer("max-sequence-events", 10_000)
            .atLeast(Sessions.MIN_USEFUL_LENGTH)
            .doc(
                "Events kept per sequence, the most recent: older events of a longer sequence (a"
                    + " bot, a shared account) still count for the k-core and the vocabularies but"
                    + " are left out of its examples and history, counted in stats.json"
                    + " (sequenceCap). At least max-len + 3.");

    public static final Param<SplitKind> SPLIT =
        Param.choice("split", SplitKind.LEAVE_ONE_OUT)
            .doc(
                "Split: leave-one-out (last item test, second-to-last validation) | temporal "
                    + "(needs split-time).");

    public static final Param<Optional<Instant>> SPLIT_TIME =
        Param.optionalText("split-time", "INSTANT")
            .map(t -> t.map(PreprocessConfig::parseInstant))
            .doc(
                "Temporal split cut-off: an ISO-8601 instant (2024-01-31T00:00:00Z) or epoch "
                    + "seconds.");

    public static final Param<Integer> MAX_LEN =
        Param.integer("max-len", 50)
            .atLeast(1)
            .doc(
                "Length of the left-padded item sequences (0 = padding); longer histories keep "
                    + "their most recent items.");

    public static final Param<Boolean> DRY_RUN =
        Param.bool("dry-run", false)
            .doc(
                "Validate the configuration, the input and the output path, print the plan and "
                    + "exit (no Spark job).");
  }

  /** Events after a training input's last item: its target, the validation and test targets. */
  public static final int EXAMPLE_TAIL = 3;

  /** Every option of the job and its defaults file. */
  public static final OptionSet OPTIONS =
      OptionSet.of(
          "preprocess",
          "Defaults of the Preprocess job: every key is a command-line option (--key value; a"
              + " true/false option also stands alone: --overwrite means --overwrite true).\n"
              + "Precedence: these defaults < a file given with --config < options on the command"
              + " line.\n"
              + "A key with an empty value has no default: \"Required.\" marks one that must be"
              + " given (on the command line or in a --config file), otherwise its text says what"
              + " empty means.",
          EventLog.Key.class,
          Key.class,
          ItemMeta.Key.class);

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

  /**
   * Sessionization: an empty gap keeps each user's whole history as one sequence; a sequence keeps
   * its most recent {@code maxEvents} events.
   */
  public record Sessions(Optional<Duration> gap, int minLength, int maxEvents) {
    /** One input item and one target are the least a sequence can train on. */
    public static final int MIN_USEFUL_LENGTH = 2;

    public Sessions {
      if (minLength < MIN_USEFUL_LENGTH) {
        throw Options.bad(
            Key.MIN_SESSION_LENGTH,
            String.valueOf(minLength),
            "must be at least " + MIN_USEFUL_LENGTH);
      }
      if (maxEvents < minLength) {
        throw Options.bad(
            Key.MAX_SEQUENCE_EVENTS,
            String.valueOf(maxEvents),
            "must be at least " + Key.MIN_SESSION_LENGTH.flag() + " (" + minLength + ")");
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
    // The training example's input ends three events before the sequence's end: a cap below
    // max-len + 3 would shorten inputs that fit.
    if (sessions.maxEvents() < maxLen + EXAMPLE_TAIL) {
      throw Options.bad(
          Key.MAX_SEQUENCE_EVENTS,
          String.valueOf(sessions.maxEvents()),
          "must be at least "
              + Key.MAX_LEN.flag()
              + " + "
              + EXAMPLE_TAIL
              + " ("
              + (maxLen + EXAMPLE_TAIL)
              + ")");
    }
    resolvedOptions = Map.copyOf(resolvedOptions);
  }

  /** Builds the configuration from resolved options, validating every value. */
  public static PreprocessConfig from(Options o) {
    EventLog log = EventLog.from(o);
    return new PreprocessConfig(
        log,
        filters(o, log.columns()),
        new Sessions(
            Key.SESSION_GAP.get(o), Key.MIN_SESSION_LENGTH.get(o), Key.MAX_SEQUENCE_EVENTS.get(o)),
        new Split(Key.SPLIT.get(o), Key.SPLIT_TIME.get(o)),
        ItemMeta.from(o),
        Key.MAX_LEN.get(o),
        Key.OUTPUT.get(o),
        Key.OVERWRITE.get(o),
        Key.DRY_RUN.get(o),
        o.asMap());
  }

  /** The output directory, which may contain neither the log nor the item metadata. */
  public JobOutput.Target outputTarget() {
    JobOutput.Target target =
        JobOutput.Target.dataset(
                new Path(output), JobOutput.IfExists.replaceWhen(overwrite), Key.OVERWRITE)
            .readingFrom(new Path(log.input().uri()));
    return itemMeta.map(meta -> target.readingFrom(new Path(meta.uri()))).orElse(target);
  }

  private static Filters filters(Options o, EventLog.Columns columns) {
    Optional<Double> minRating = Key.MIN_RATING.get(o);
    if (minRating.isPresent() && columns.rating().isEmpty()) {
      throw new UsageException(
          "Cannot run: " + Key.MIN_RATING.flag() + " needs " + EventLog.Key.RATING_COL.flag());
    }
    List<String> eventTypes = Key.EVENT_TYPES.get(o);
    if (!eventTypes.isEmpty() && columns.event().isEmpty()) {
      throw new UsageException(
          "Cannot run: " + Key.EVENT_TYPES.flag() + " needs " + EventLog.Key.EVENT_COL.flag());
    }
    return new Filters(
        minRating,
        eventTypes,
        Key.COLLAPSE_REPEATS.get(o),
        Key.MIN_ITEM_COUNT.get(o),
        Key.MIN_USER_COUNT.get(o),
        Key.MAX_KCORE_ROUNDS.get(o));
  }

  private static Instant parseInstant(String value) {
    try {
      return value.chars().allMatch(Character::isDigit)
          ? Instant.ofEpochSecond(Long.parseLong(value))
          : Instant.parse(value);
    } catch (DateTimeException | NumberFormatException e) {
      throw new IllegalArgumentException("expected an ISO-8601 instant or epoch seconds", e);
    }
  }
}
