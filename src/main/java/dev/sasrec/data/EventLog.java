package dev.sasrec.data;

import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
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

  /**
   * The options of Preprocess that describe the log, each declared once (conf/preprocess.properties
   * derives from them).
   */
  public static final class Key {
    private Key() {}

    public static final Param<String> INPUT =
        Param.uri("input")
            .required()
            .doc(
                "Input location: any Hadoop URI or path (file://, hdfs://, s3a://); a file or a "
                    + "directory.");

    public static final Param<InputFormat> FORMAT =
        Param.choice("format", InputFormat.CSV)
            .doc(
                "Input format: csv | tsv | json | parquet | movielens "
                    + "(UserID::MovieID::Rating::Timestamp, no header).");

    public static final Param<Boolean> HEADER =
        Param.bool("header", true)
            .doc(
                "Text formats: whether the first line names the columns (movielens: always "
                    + "false).");

    public static final Param<Optional<String>> DELIMITER =
        Param.optionalText("delimiter", "TEXT")
            .doc(
                "Text formats: field separator; empty = the format's own (csv \",\", tsv tab, "
                    + "movielens \"::\").");

    public static final Param<String> QUOTE =
        Param.text("quote", "\"")
            .label("CHAR")
            .doc(
                "Text formats: the character that encloses a field holding the separator, a quote "
                    + "or a line break.");

    public static final Param<String> ESCAPE =
        Param.text("escape", "\"")
            .label("CHAR")
            .doc(
                "Text formats: the character before a quote inside a quoted field; \" (the "
                    + "default) reads RFC 4180's doubled quotes (\"say \"\"hi\"\"\"), \\ reads "
                    + "backslash-escaped ones (\"say \\\"hi\\\"\").");

    public static final Param<List<String>> COLUMNS =
        Param.list("columns")
            .doc(
                "Text formats without a header: the field names in order, comma-separated (e.g. "
                    + "user_id,item_id,rating,timestamp).");

    public static final Param<String> USER_COL =
        Param.text("user-col", "user_id").label("COLUMN").doc("Column holding the user id.");

    public static final Param<String> ITEM_COL =
        Param.text("item-col", "item_id").label("COLUMN").doc("Column holding the item id.");

    public static final Param<String> TIME_COL =
        Param.text("time-col", "timestamp").label("COLUMN").doc("Column holding the event time.");

    public static final Param<String> TIME_FORMAT =
        Param.text("time-format", "epoch-seconds")
            .doc(
                "Time format: epoch-seconds | epoch-millis | iso-8601 | a java.time pattern such "
                    + "as yyyy-MM-dd HH:mm:ss.");

    public static final Param<String> TIME_ZONE =
        Param.text("time-zone", "UTC")
            .doc(
                "Time zone for times without a zone (iso-8601 without offset, patterns without "
                    + "zone).");

    public static final Param<Optional<String>> RATING_COL =
        Param.optionalText("rating-col", "COLUMN")
            .doc(
                "Optional rating column; with min-rating, events rated below it are filtered out.");

    public static final Param<Optional<String>> EVENT_COL =
        Param.optionalText("event-col", "COLUMN")
            .doc("Optional event-type column; with event-types, only those types are kept.");
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
      for (Param<String> key : List.of(Key.QUOTE, Key.ESCAPE)) {
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
    InputFormat format = Key.FORMAT.get(o);
    boolean fixedFields = !format.fixedFields().isEmpty();
    String delimiter = Key.DELIMITER.get(o).map(EventLog::unescape).orElse("");
    if (delimiter.isEmpty()) {
      delimiter = format.defaultDelimiter();
    }
    List<String> fields = fixedFields ? format.fixedFields() : Key.COLUMNS.get(o);
    Input input =
        new Input(
            Key.INPUT.get(o),
            format,
            !fixedFields && Key.HEADER.get(o),
            delimiter,
            Key.QUOTE.get(o),
            Key.ESCAPE.get(o),
            fields);
    Columns columns =
        new Columns(
            Key.USER_COL.get(o),
            Key.ITEM_COL.get(o),
            Key.TIME_COL.get(o),
            Key.RATING_COL
                .get(o)
                .or(
                    () ->
                        fixedFields
                            ? Optional.of(InputFormat.FIXED_RATING_FIELD)
                            : Optional.empty()),
            Key.EVENT_COL.get(o));
    return new EventLog(input, columns, time(o));
  }

  private static TimeSpec time(Options o) {
    ZoneId zone;
    try {
      zone = ZoneId.of(Key.TIME_ZONE.get(o));
    } catch (DateTimeException e) {
      throw Options.bad(Key.TIME_ZONE, o.string(Key.TIME_ZONE), "unknown time zone");
    }
    TimeSpec time = TimeSpec.of(Key.TIME_FORMAT.get(o), zone);
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
