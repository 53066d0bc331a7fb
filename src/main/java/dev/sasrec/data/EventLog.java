package dev.sasrec.data;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.Options;
import dev.sasrec.config.UsageException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The interaction log to read: where and in which format, which columns hold the user, the item and
 * the time (and optionally a rating and an event type), and how times are written. The input part
 * of the Preprocess configuration: its options are declared and read here.
 */
public record EventLog(Input input, Columns columns, TimeSpec time) {

  /** The options of conf/preprocess.properties that describe the log. */
  public enum Key implements OptionKey {
    INPUT,
    FORMAT,
    HEADER,
    DELIMITER,
    QUOTE,
    ESCAPE,
    COLUMNS,
    USER_COL,
    ITEM_COL,
    TIME_COL,
    TIME_FORMAT,
    TIME_ZONE,
    RATING_COL,
    EVENT_COL
  }

  /**
   * Where and how to read the log. {@code fieldNames} is empty when a header names the fields.
   * {@code quote} encloses a field of a text format; {@code escape} before a quote inside one keeps
   * it (RFC 4180 doubles the quote: escape = quote).
   */
  public record Input(
      String uri,
      InputFormat format,
      boolean header,
      String delimiter,
      String quote,
      String escape,
      List<String> fieldNames) {
    public Input {
      for (Key key : List.of(Key.QUOTE, Key.ESCAPE)) {
        String value = key == Key.QUOTE ? quote : escape;
        if (value == null || value.length() != 1) {
          throw new UsageException(
              "Cannot parse option "
                  + key.flag()
                  + ": need one character, got '"
                  + value
                  + "' ("
                  + uri
                  + ")");
        }
      }
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(format, "format");
      fieldNames = List.copyOf(fieldNames);
      if (format.isText() && !header && fieldNames.isEmpty()) {
        throw new UsageException(
            "Cannot read input: "
                + Key.COLUMNS.flag()
                + " is required when "
                + Key.HEADER.flag()
                + " is false ("
                + uri
                + ")");
      }
      if (format.isText() && delimiter.isEmpty()) {
        throw new UsageException(
            "Cannot parse option " + Key.DELIMITER.flag() + ": empty (" + uri + ")");
      }
    }
  }

  /** Column roles. Rating and event type are optional. */
  public record Columns(
      String user, String item, String time, Optional<String> rating, Optional<String> event) {
    public Columns {
      for (String c : List.of(user, item, time)) {
        if (c == null || c.isBlank()) {
          throw new UsageException("Cannot parse column roles: empty column name");
        }
      }
    }

    /** Every configured role column: user, item, time, then rating and event type if set. */
    public List<String> all() {
      List<String> all = new ArrayList<>(List.of(user, item, time));
      rating.ifPresent(all::add);
      event.ifPresent(all::add);
      return List.copyOf(all);
    }
  }

  public EventLog {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(time, "time");
  }

  /** Reads and validates the log's options. */
  public static EventLog from(Options o) {
    InputFormat format = o.choice(Key.FORMAT, InputFormat.class);
    boolean fixedFields = !format.fixedFields().isEmpty();
    String delimiter = o.optional(Key.DELIMITER).map(EventLog::unescape).orElse("");
    if (delimiter.isEmpty()) {
      delimiter = format.defaultDelimiter();
    }
    List<String> fields = fixedFields ? format.fixedFields() : o.list(Key.COLUMNS);
    Input input =
        new Input(
            o.required(Key.INPUT),
            format,
            !fixedFields && o.bool(Key.HEADER),
            delimiter,
            o.string(Key.QUOTE),
            o.string(Key.ESCAPE),
            fields);
    Columns columns =
        new Columns(
            o.string(Key.USER_COL),
            o.string(Key.ITEM_COL),
            o.string(Key.TIME_COL),
            o.optional(Key.RATING_COL)
                .or(
                    () ->
                        fixedFields
                            ? Optional.of(InputFormat.FIXED_RATING_FIELD)
                            : Optional.empty()),
            o.optional(Key.EVENT_COL));
    return new EventLog(input, columns, time(o));
  }

  private static TimeSpec time(Options o) {
    ZoneId zone;
    try {
      zone = ZoneId.of(o.string(Key.TIME_ZONE));
    } catch (DateTimeException e) {
      throw Options.bad(Key.TIME_ZONE, o.string(Key.TIME_ZONE), "unknown time zone");
    }
    TimeSpec time = TimeSpec.of(o.string(Key.TIME_FORMAT), zone);
    if (time.kind() == TimeSpec.Kind.PATTERN) {
      try {
        DateTimeFormatter.ofPattern(time.pattern());
      } catch (IllegalArgumentException e) {
        throw Options.bad(Key.TIME_FORMAT, time.pattern(), "not a java.time pattern");
      }
    }
    return time;
  }

  /** Lets a tab be given as \t or "tab" on a command line. */
  private static String unescape(String delimiter) {
    return switch (delimiter) {
      case "\\t", "tab" -> "\t";
      default -> delimiter;
    };
  }
}
