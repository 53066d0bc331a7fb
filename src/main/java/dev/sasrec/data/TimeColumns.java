package dev.sasrec.data;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/** The event-time column in epoch milliseconds (null when unparseable), for each time format. */
public final class TimeColumns {

  private static final String UDF_NAME = "sasrec_parse_time";

  private TimeColumns() {}

  /** Largest accepted magnitude in milliseconds: the year 33658, far past any event log. */
  private static final String MAX_MILLIS = "1e15";

  /**
   * {@code rows} with {@code output}: the time of {@code quotedColumn} (a name already quoted for
   * SQL) in epoch milliseconds, null when unparseable. Epoch formats are native Spark expressions
   * (no UDF call per row: about twice as fast on the ML-1M log); ISO-8601 and patterns go through
   * {@link TimestampParser}. Each row's text is parsed once: the number is a column of its own,
   * which Spark does not fold into the range check that reads it three times (CollapseProject keeps
   * a projection apart when folding it would repeat a costly expression). Written as one
   * expression, ML-1M's parse ran {@code Double.parseDouble} six to eight times a row.
   */
  public static Dataset<Row> withMillis(
      SparkSession spark, Dataset<Row> rows, TimeSpec spec, String quotedColumn, String output) {
    // A double holds epoch milliseconds exactly (below 2^53); rounding absorbs the binary error
    // of fractional seconds. Out-of-range values (and infinities) become null, like bad text.
    String number = "try_cast(trim(cast(" + quotedColumn + " as string)) as double)";
    return switch (spec.kind()) {
      case EPOCH_SECONDS -> inRange(rows.withColumn(output, expr(number + " * 1000")), output);
      case EPOCH_MILLIS -> inRange(rows.withColumn(output, expr(number)), output);
      case ISO_8601, PATTERN -> {
        spark.udf().register(UDF_NAME, new TimestampParser(spec), DataTypes.LongType);
        yield rows.withColumn(
            output, callUDF(UDF_NAME, expr("cast(" + quotedColumn + " as string)")));
      }
    };
  }

  /**
   * {@code column} (milliseconds as a double) rounded half away from zero, as Spark's {@code round}
   * does, but without its per-row {@code BigDecimal} (which a profile of the parse showed): below
   * 2^53, adding a half is exact enough for milliseconds.
   */
  private static Dataset<Row> inRange(Dataset<Row> rows, String column) {
    String millis = EventReader.q(column);
    return rows.withColumn(
        column,
        expr(
            "case when abs("
                + millis
                + ") < "
                + MAX_MILLIS
                + " then cast(signum("
                + millis
                + ") * floor(abs("
                + millis
                + ") + 0.5) as bigint) end"));
  }
}
