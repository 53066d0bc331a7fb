package dev.sasrec.data;

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
import java.util.List;
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

    Column user = trim(col(q(roles.user())).cast(DataTypes.StringType));
    Column item = trim(col(q(roles.item())).cast(DataTypes.StringType));
    Column timeText = col(q(roles.time())).cast(DataTypes.StringType);
    Column ts =
        timeMillis(source.schema().apply(roles.time()).dataType(), roles.time(), log.time());

    Column reason = null;
    if (hasCorrupt) {
      reason = whenThen(reason, col(CORRUPT).isNotNull(), DropReason.MALFORMED_ROW);
    }
    reason = whenThen(reason, blank(user), DropReason.MISSING_USER);
    reason = whenThen(reason, blank(item), DropReason.MISSING_ITEM);
    reason = whenThen(reason, blank(trim(timeText)), DropReason.MISSING_TIMESTAMP);
    reason = whenThen(reason, ts.isNull(), DropReason.BAD_TIMESTAMP);
    Column rating = null;
    if (roles.rating().isPresent()) {
      Column ratingText = trim(col(q(roles.rating().get())).cast(DataTypes.StringType));
      rating = ratingText.cast(DataTypes.DoubleType);
      reason = whenThen(reason, blank(ratingText), DropReason.MISSING_RATING);
      reason = whenThen(reason, rating.isNull(), DropReason.BAD_RATING);
    }
    Column event = null;
    if (roles.event().isPresent()) {
      event = trim(col(q(roles.event().get())).cast(DataTypes.StringType));
      reason = whenThen(reason, blank(event), DropReason.MISSING_EVENT_TYPE);
    }

    Column raw = rawJson(source);

    List<Column> out = new ArrayList<>();
    out.add(user.as(EventColumns.USER));
    out.add(item.as(EventColumns.ITEM));
    out.add(ts.as(EventColumns.TS));
    if (rating != null) {
      out.add(rating.as(EventColumns.RATING));
    }
    if (event != null) {
      out.add(event.as(EventColumns.EVENT));
    }
    out.add(reason.as(EventColumns.REASON));
    out.add(when(reason.isNotNull(), raw).as(EventColumns.RAW));
    // Kept for rejected rows only: a file name per good row would bloat the cached table.
    out.add(when(reason.isNotNull(), input_file_name()).as(EventColumns.SOURCE_FILE));
    Dataset<Row> rows = source.select(out.toArray(Column[]::new));
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
    Dataset<Row> blank = spark.read().text(input.uri()).filter(col("value").rlike(BLANK_LINE));
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

  private Column timeMillis(DataType type, String column, TimeSpec time) {
    if (type instanceof TimestampType || type instanceof DateType) {
      // A typed time column needs no parsing; unix_millis keeps millisecond precision.
      return org.apache.spark.sql.functions.expr(
          "unix_millis(cast(" + q(column) + " as timestamp))");
    }
    return TimeColumns.millis(spark, time, q(column));
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
