package dev.sasrec.data;

import static org.apache.spark.sql.functions.ascii;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.sasrec.config.Refusal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Reads a raw interaction log into one row per input row with the parsed roles ({@link
 * EventColumns}) and, for an unusable row, its {@link DropReason} and the original row as JSON.
 */
public final class EventReader {

  /** Spark's column for a text row it could not split into the expected fields. */
  static final String CORRUPT = "_corrupt_record";

  /** A line with nothing but characters up to U+0020 (tabs, spaces, a stray CR). */
  static final String BLANK_LINE = "^[\\x00-\\x20]*$";

  /** The last character {@link #BLANK_LINE} takes: a line starting after it is not blank. */
  private static final int LAST_BLANK_CHAR = 0x20;

  /**
   * The prefix of the columns a row has while it is read (more underscores if an input column
   * starts with it).
   */
  static final String TEMPORARY_PREFIX = "_read_";

  /** The field of a blank line's raw JSON. */
  static final String BLANK_LINE_FIELD = "line";

  private final SparkSession spark;

  public EventReader(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Columns: user, item, ts, [rating], [event_type], reason, raw, source_file. Usable rows have a
   * null reason; raw is filled for unusable rows only.
   */
  public Dataset<Row> read(EventLog log) {
    EventLog.Input input = log.input();
    EventLog.Columns roles = log.columns();
    Dataset<Row> source = load(input, roles);
    requireColumns(
        "input",
        input.uri(),
        Arrays.stream(source.columns()).filter(c -> !c.equals(CORRUPT)).toList(),
        roles.all());
    boolean hasCorrupt = Arrays.asList(source.columns()).contains(CORRUPT);

    // Three projections, each computing once what the next reads more than once (Spark keeps a
    // projection apart when folding it into the next would repeat a costly expression): the
    // trimmed fields and the time, the reject reason, the output. Their columns are named with a
    // prefix no input column has.
    String p = unusedPrefix(source, TEMPORARY_PREFIX);
    String userCol = p + EventColumns.USER;
    String itemCol = p + EventColumns.ITEM;
    String tsCol = p + EventColumns.TS;
    String ratingTextCol = p + "rating_text";
    String ratingCol = p + EventColumns.RATING;
    String eventCol = p + EventColumns.EVENT;
    String reasonCol = p + EventColumns.REASON;

    Map<String, Column> fields = new LinkedHashMap<>();
    fields.put(userCol, text(roles.user()));
    fields.put(itemCol, text(roles.item()));
    roles
        .rating()
        .ifPresent(
            r -> {
              fields.put(ratingTextCol, text(r));
              fields.put(ratingCol, text(r).cast(DataTypes.DoubleType));
            });
    roles.event().ifPresent(e -> fields.put(eventCol, text(e)));
    Dataset<Row> parsed =
        withTimeMillis(
                source,
                source.schema().apply(roles.time()).dataType(),
                roles.time(),
                log.time(),
                tsCol)
            .withColumns(fields);

    Column reason = null;
    if (hasCorrupt) {
      reason = whenThen(reason, col(CORRUPT).isNotNull(), DropReason.MALFORMED_ROW);
    }
    reason = whenThen(reason, blank(col(q(userCol))), DropReason.MISSING_USER);
    reason = whenThen(reason, blank(col(q(itemCol))), DropReason.MISSING_ITEM);
    reason = whenThen(reason, blank(text(roles.time())), DropReason.MISSING_TIMESTAMP);
    reason = whenThen(reason, col(q(tsCol)).isNull(), DropReason.BAD_TIMESTAMP);
    if (roles.rating().isPresent()) {
      reason = whenThen(reason, blank(col(q(ratingTextCol))), DropReason.MISSING_RATING);
      reason = whenThen(reason, col(q(ratingCol)).isNull(), DropReason.BAD_RATING);
    }
    if (roles.event().isPresent()) {
      reason = whenThen(reason, blank(col(q(eventCol))), DropReason.MISSING_EVENT_TYPE);
    }
    Dataset<Row> judged = parsed.withColumn(reasonCol, reason);

    Column rejected = col(q(reasonCol)).isNotNull();
    List<Column> out = new ArrayList<>();
    out.add(col(q(userCol)).as(EventColumns.USER));
    out.add(col(q(itemCol)).as(EventColumns.ITEM));
    out.add(col(q(tsCol)).as(EventColumns.TS));
    if (roles.rating().isPresent()) {
      out.add(col(q(ratingCol)).as(EventColumns.RATING));
    }
    if (roles.event().isPresent()) {
      out.add(col(q(eventCol)).as(EventColumns.EVENT));
    }
    out.add(col(q(reasonCol)).as(EventColumns.REASON));
    out.add(when(rejected, rawJson(source)).as(EventColumns.RAW));
    // Kept for rejected rows only: a file name per good row would bloat the cached table.
    out.add(when(rejected, input_file_name()).as(EventColumns.SOURCE_FILE));
    Dataset<Row> rows = judged.select(out.toArray(Column[]::new));
    return input.format() == InputFormat.PARQUET ? rows : rows.union(blankLines(input, rows));
  }

  /**
   * The blank and whitespace-only lines of a text input, as rejected rows ({@link
   * DropReason#BLANK_ROW}, the line kept as {@code {"line": ...}}) in the columns of {@code rows}.
   * Spark's CSV and JSON readers skip such lines before any row exists, so they are found in a
   * second, plain-text pass over the files; without it {@code rowsRead} would not be the data lines
   * of the input. The pattern is the readers' own test (Scala's {@code trim}: characters up to
   * U+0020).
   */
  private Dataset<Row> blankLines(EventLog.Input input, Dataset<Row> rows) {
    Column line = col("value");
    // The first character rules out almost every line before the pattern needs the line as a Java
    // string (an empty line's first character counts as 0).
    Dataset<Row> blank =
        spark
            .read()
            .text(input.uri())
            .filter(ascii(line).leq(LAST_BLANK_CHAR).and(line.rlike(BLANK_LINE)));
    List<Column> out = new ArrayList<>();
    for (var field : rows.schema().fields()) {
      String name = field.name();
      if (name.equals(EventColumns.REASON)) {
        out.add(lit(DropReason.BLANK_ROW.key()).as(name));
      } else if (name.equals(EventColumns.RAW)) {
        out.add(to_json(struct(col("value").as(BLANK_LINE_FIELD))).as(name));
      } else if (name.equals(EventColumns.SOURCE_FILE)) {
        out.add(input_file_name().as(name));
      } else {
        out.add(lit(null).cast(field.dataType()).as(name));
      }
    }
    return blank.select(out.toArray(Column[]::new));
  }

  private Dataset<Row> load(EventLog.Input input, EventLog.Columns roles) {
    InputFormat format = input.format();
    if (format == InputFormat.PARQUET) {
      return spark.read().parquet(input.uri());
    }
    if (format == InputFormat.JSON) {
      // Role columns as strings: Spark then keeps numbers as their text, and no inference pass.
      StructType schema = new StructType();
      for (String c : roles.all()) {
        schema = schema.add(c, DataTypes.StringType);
      }
      schema = schema.add(CORRUPT, DataTypes.StringType);
      return spark
          .read()
          .schema(schema)
          .option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", CORRUPT)
          .json(input.uri());
    }
    List<String> names = input.fieldNames();
    if (input.header() && names.isEmpty()) {
      names =
          TextHeader.read(
              input.uri(), input.delimiter(), spark.sparkContext().hadoopConfiguration());
    }
    StructType schema = new StructType();
    for (String name : names) {
      schema = schema.add(name, DataTypes.StringType);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType);
    return textReader(input)
        .option("header", String.valueOf(input.header()))
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .schema(schema)
        .csv(input.uri());
  }

  private DataFrameReader textReader(EventLog.Input input) {
    return spark
        .read()
        .option("sep", input.delimiter())
        .option("quote", input.quote())
        .option("escape", input.escape())
        .option("ignoreLeadingWhiteSpace", "true")
        .option("ignoreTrailingWhiteSpace", "true");
  }

  /** {@code source} with {@code output}: the event time in epoch milliseconds, or null. */
  private Dataset<Row> withTimeMillis(
      Dataset<Row> source, DataType type, String column, TimeSpec time, String output) {
    if (type instanceof TimestampType || type instanceof DateType) {
      // A typed time column needs no parsing; unix_millis keeps millisecond precision.
      return source.withColumn(
          output,
          org.apache.spark.sql.functions.expr("unix_millis(cast(" + q(column) + " as timestamp))"));
    }
    return TimeColumns.withMillis(spark, source, time, q(column), output);
  }

  /**
   * {@code prefix}, or it with more leading underscores until no column of {@code rows} starts with
   * it (in any case: Spark resolves names without it).
   */
  static String unusedPrefix(Dataset<Row> rows, String prefix) {
    String unused = prefix;
    while (startsAColumn(rows, unused)) {
      unused = "_" + unused;
    }
    return unused;
  }

  private static boolean startsAColumn(Dataset<Row> rows, String prefix) {
    String lower = prefix.toLowerCase(Locale.ROOT);
    return Arrays.stream(rows.columns())
        .anyMatch(c -> c.toLowerCase(Locale.ROOT).startsWith(lower));
  }

  /** An input column as trimmed text. */
  private static Column text(String column) {
    return trim(col(q(column)).cast(DataTypes.StringType));
  }

  /**
   * Fails naming the first of {@code required} that is not among {@code available}, the file and
   * the columns there are; {@code what} names the table ("input", "item metadata").
   */
  public static void requireColumns(
      String what, String uri, List<String> available, List<String> required) {
    for (String column : required) {
      if (!available.contains(column)) {
        throw new Refusal(
            "Cannot read "
                + what
                + ": column '"
                + column
                + "' not found in "
                + uri
                + " (columns: "
                + String.join(", ", available)
                + ")");
      }
    }
  }

  /** Every column of {@code source} as text, in one JSON object: a rejected row, kept raw. */
  static Column rawJson(Dataset<Row> source) {
    List<Column> originals = new ArrayList<>();
    for (String f : source.columns()) {
      originals.add(col(q(f)).cast(DataTypes.StringType).as(f));
    }
    return to_json(struct(originals.toArray(Column[]::new)));
  }

  /** Null or empty text. */
  static Column blank(Column text) {
    return text.isNull().or(text.equalTo(lit("")));
  }

  private static Column whenThen(Column chain, Column condition, DropReason reason) {
    return chain == null
        ? when(condition, lit(reason.key()))
        : chain.when(condition, lit(reason.key()));
  }

  /** Quotes a column name so that dots and spaces in it are taken literally. */
  static String q(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
