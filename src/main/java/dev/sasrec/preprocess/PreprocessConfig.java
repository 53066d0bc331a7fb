package dev.sasrec.preprocess;

import dev.sasrec.config.Options;
import dev.sasrec.config.UsageException;
import dev.sasrec.data.EventLog;
import dev.sasrec.data.InputFormat;
import dev.sasrec.data.ItemMeta;
import dev.sasrec.data.SplitKind;
import dev.sasrec.data.TimeSpec;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed, validated configuration of the Preprocess job. Defaults: conf/preprocess.properties.
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
    Map<String, String> resolvedOptions) {

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
        throw Options.bad("min-session-length", String.valueOf(minLength), "must be at least 2");
      }
    }
  }

  /** The split; {@code cutoff} only for {@link SplitKind#TEMPORAL}. */
  public record Split(SplitKind kind, Optional<Instant> cutoff) {
    public Split {
      if (kind == SplitKind.TEMPORAL && cutoff.isEmpty()) {
        throw new UsageException("Cannot run: --split temporal needs --split-time");
      }
    }
  }

  public PreprocessConfig {
    Objects.requireNonNull(output, "output");
    if (maxLen < 1) {
      throw Options.bad("max-len", String.valueOf(maxLen), "must be at least 1");
    }
    resolvedOptions = Map.copyOf(resolvedOptions);
  }

  /** Builds the configuration from resolved options, validating every value. */
  public static PreprocessConfig from(Options o) {
    InputFormat format = o.choice("format", InputFormat.class);
    boolean movielens = format == InputFormat.MOVIELENS;
    String delimiter = o.optional("delimiter").map(PreprocessConfig::unescape).orElse("");
    if (delimiter.isEmpty()) {
      delimiter = format.defaultDelimiter();
    }
    List<String> fields =
        movielens ? List.of("user_id", "item_id", "rating", "timestamp") : o.list("columns");
    EventLog.Input input =
        new EventLog.Input(
            o.required("input"), format, !movielens && o.bool("header"), delimiter, fields);
    EventLog.Columns columns =
        new EventLog.Columns(
            o.string("user-col"),
            o.string("item-col"),
            o.string("time-col"),
            o.optional("rating-col").or(() -> movielens ? Optional.of("rating") : Optional.empty()),
            o.optional("event-col"));
    ZoneId zone;
    try {
      zone = ZoneId.of(o.string("time-zone"));
    } catch (DateTimeException e) {
      throw Options.bad("time-zone", o.string("time-zone"), "unknown time zone");
    }
    TimeSpec time = TimeSpec.of(o.string("time-format"), zone);
    if (time.kind() == TimeSpec.Kind.PATTERN) {
      try {
        DateTimeFormatter.ofPattern(time.pattern());
      } catch (IllegalArgumentException e) {
        throw Options.bad("time-format", time.pattern(), "not a java.time pattern");
      }
    }
    Optional<Double> minRating = o.optionalDecimal("min-rating");
    if (minRating.isPresent() && columns.rating().isEmpty()) {
      throw new UsageException("Cannot run: --min-rating needs --rating-col");
    }
    List<String> eventTypes = o.list("event-types");
    if (!eventTypes.isEmpty() && columns.event().isEmpty()) {
      throw new UsageException("Cannot run: --event-types needs --event-col");
    }
    Filters filters =
        new Filters(
            minRating,
            eventTypes,
            o.bool("collapse-repeats"),
            o.integerAtLeast("min-item-count", 1),
            o.integerAtLeast("min-user-count", 1),
            o.integerAtLeast("max-kcore-rounds", 1));
    Sessions sessions =
        new Sessions(o.durationOrNone("session-gap"), o.integer("min-session-length"));
    SplitKind kind = o.choice("split", SplitKind.class);
    Optional<Instant> cutoff = o.optional("split-time").map(v -> parseInstant("split-time", v));
    return new PreprocessConfig(
        new EventLog(input, columns, time),
        filters,
        sessions,
        new Split(kind, cutoff),
        o.optional("item-meta").map(uri -> itemMeta(o, uri)),
        o.integerAtLeast("max-len", 1),
        o.required("output"),
        o.bool("overwrite"),
        o.asMap());
  }

  private static ItemMeta itemMeta(Options o, String uri) {
    InputFormat format = o.choice("item-meta-format", InputFormat.class);
    return new ItemMeta(
        uri,
        format,
        format.defaultDelimiter(),
        o.string("item-meta-item-col"),
        o.string("item-meta-category-col"),
        o.string("category-separator"));
  }

  private static Instant parseInstant(String key, String value) {
    try {
      return value.chars().allMatch(Character::isDigit)
          ? Instant.ofEpochSecond(Long.parseLong(value))
          : Instant.parse(value);
    } catch (DateTimeException | NumberFormatException e) {
      throw Options.bad(key, value, "expected an ISO-8601 instant or epoch seconds");
    }
  }

  /** Lets a tab be given as \t or "tab" on a command line. */
  private static String unescape(String delimiter) {
    return switch (delimiter) {
      case "\\t", "tab" -> "\t";
      default -> delimiter;
    };
  }
}
