package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.SparkTestSession;
import dev.sasrec.TestFiles;
import dev.sasrec.config.CommandLine;
import dev.sasrec.preprocess.PreprocessConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class EventReaderTest {

  @TempDir Path dir;

  private final SparkSession spark = SparkTestSession.get();

  /** The log part of a Preprocess configuration for {@code input} with {@code options}. */
  static EventLog config(String input, String... options) {
    List<String> args = new ArrayList<>(List.of("--input", input, "--output", "unused"));
    args.addAll(List.of(options));
    return PreprocessConfig.from(
            new CommandLine(PreprocessConfig.OPTIONS.load())
                .parse(args.toArray(String[]::new))
                .options())
        .log();
  }

  private Map<String, Long> reasons(EventLog config) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row r : new EventReader(spark).read(config).groupBy("reason").count().collectAsList()) {
      counts.put(r.isNullAt(0) ? "ok" : r.getString(0), r.getLong(1));
    }
    return counts;
  }

  @Test
  void everyRejectReasonOfATextLogIsCounted() {
    Path csv =
        TestFiles.write(
            dir,
            "log.csv",
            "user_id,item_id,timestamp,rating",
            "u1,i1,100,5",
            "u1,i2,200,4",
            ",i3,300,4",
            "u2,,300,4",
            "u2,i3,,4",
            "u2,i3,yesterday,4",
            "u2,i3,400,great",
            "u2,i3,500,",
            "u2,i3");
    assertThat(reasons(config(csv.toString(), "--rating-col", "rating")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ok", 2L,
                "rejected.missing-user", 1L,
                "rejected.missing-item", 1L,
                "rejected.missing-timestamp", 1L,
                "rejected.bad-timestamp", 1L,
                "rejected.bad-rating", 1L,
                "rejected.missing-rating", 1L,
                "rejected.malformed-row", 1L));
  }

  @Test
  void blankAndWhitespaceOnlyLinesAreRejectedRowsKeptWithTheirLine() {
    Path tsv =
        TestFiles.write(
            dir,
            "log.tsv",
            "user_id\titem_id\ttimestamp",
            "u1\ti1\t100",
            "\t\t\t",
            "",
            "   ",
            "u1\ti2\t200",
            " \t \r");
    EventLog log = config(tsv.toString(), "--delimiter", "\\t");
    assertThat(reasons(log))
        .containsExactlyInAnyOrderEntriesOf(Map.of("ok", 2L, "rejected.blank-row", 4L));
    List<Row> blank =
        new EventReader(spark)
            .read(log)
            .filter("reason = 'rejected.blank-row'")
            .select("raw", "source_file", "user")
            .orderBy("raw")
            .collectAsList();
    assertThat(blank).extracting(r -> r.getString(0)).contains("{\"line\":\"\\t\\t\\t\"}");
    assertThat(blank).allSatisfy(r -> assertThat(r.getString(1)).endsWith("log.tsv"));
    assertThat(blank).allSatisfy(r -> assertThat(r.isNullAt(2)).isTrue());
  }

  @Test
  void rfc4180QuotesAreReadByDefaultAndBackslashEscapesOnRequest() {
    Path rfc =
        TestFiles.write(
            dir,
            "rfc.csv",
            "user_id,item_id,timestamp",
            "\"u, 1\",\"say \"\"hi\"\"\",100",
            "u2,plain,200");
    assertThat(reasons(config(rfc.toString()))).containsExactlyEntriesOf(Map.of("ok", 2L));
    assertThat(items(config(rfc.toString()))).containsExactlyInAnyOrder("say \"hi\"", "plain");

    Path backslash =
        TestFiles.write(
            dir, "backslash.csv", "user_id,item_id,timestamp", "u1,\"say \\\"hi\\\"\",100");
    assertThat(items(config(backslash.toString(), "--escape", "\\"))).containsExactly("say \"hi\"");
  }

  @Test
  void aQuoteOfTwoCharactersIsABadOption() {
    assertThatThrownBy(() -> config("x.csv", "--quote", "''"))
        .hasMessageContaining("--quote: need one character");
  }

  private List<String> items(EventLog config) {
    return new EventReader(spark)
        .read(config)
        .filter("reason is null")
        .select(EventColumns.ITEM)
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  @Test
  void aMissingEventTypeIsRejectedWhenEventTypesAreUsed() {
    Path csv =
        TestFiles.write(
            dir, "log.csv", "user_id,item_id,timestamp,kind", "u1,i1,1,view", "u1,i2,2,");
    assertThat(reasons(config(csv.toString(), "--event-col", "kind", "--event-types", "view")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("ok", 1L, "rejected.missing-event-type", 1L));
  }

  @Test
  void rejectedRowsKeepTheOriginalRowAndFile() {
    Path csv = TestFiles.write(dir, "log.csv", "user_id,item_id,timestamp", "u1,i1,100", "u1,,7");
    Row rejected =
        new EventReader(spark)
            .read(config(csv.toString()))
            .filter("reason is not null")
            .select("reason", "raw", "source_file")
            .first();
    assertThat(rejected.getString(0)).isEqualTo("rejected.missing-item");
    assertThat(rejected.getString(1))
        .contains("\"user_id\":\"u1\"")
        .contains("\"timestamp\":\"7\"");
    assertThat(rejected.getString(2)).endsWith("log.csv");
  }

  @Test
  void headerlessTsvWithNamedColumns() {
    Path tsv = TestFiles.write(dir, "u.data", "196\t242\t3\t881250949", "186\t302\t3\t891717742");
    EventLog config =
        config(
            tsv.toString(),
            "--format",
            "tsv",
            "--header",
            "false",
            "--columns",
            "user_id,item_id,rating,timestamp");
    List<Row> rows = new EventReader(spark).read(config).orderBy("ts").collectAsList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getString(0)).isEqualTo("196");
    assertThat(rows.get(0).getString(1)).isEqualTo("242");
    assertThat(rows.get(0).getLong(2)).isEqualTo(881_250_949_000L);
  }

  /** How often {@code text} occurs in {@code plan}. */
  private static int occurrences(String plan, String text) {
    return plan.split(java.util.regex.Pattern.quote(text), -1).length - 1;
  }

  @Test
  void eachFieldIsParsedAndEachRowJudgedOnceAndAnInputColumnLikeTheReadersOwnIsKept() {
    Path csv =
        TestFiles.write(
            dir, "log.csv", "user_id,item_id,timestamp,_read_user", "u1,i1,100,x", "u1,i2,y,z");
    Dataset<Row> read = new EventReader(spark).read(config(csv.toString())).orderBy("item");
    String plan = read.queryExecution().optimizedPlan().toString();
    // Each is read more than once (the reason, the value, the raw row and file of a reject).
    assertThat(occurrences(plan, "try_cast(")).as(plan).isEqualTo(1);
    assertThat(occurrences(plan, "trim(user_id")).as(plan).isEqualTo(1);
    assertThat(occurrences(plan, DropReason.MISSING_USER.key())).as(plan).isEqualTo(1);
    List<Row> rows = read.collectAsList();
    assertThat(rows.get(0).getString(rows.get(0).fieldIndex("user"))).isEqualTo("u1");
    assertThat(rows.get(0).getLong(rows.get(0).fieldIndex("ts"))).isEqualTo(100_000L);
    assertThat(rows.get(1).getString(rows.get(1).fieldIndex("reason")))
        .isEqualTo(DropReason.BAD_TIMESTAMP.key());
    assertThat(rows.get(1).getString(rows.get(1).fieldIndex("raw")))
        .contains("\"_read_user\":\"z\"");
    assertThat(read.columns())
        .containsExactly("user", "item", "ts", "reason", "raw", "source_file");
  }

  @Test
  void movielensPreset() {
    Path dat = TestFiles.write(dir, "ratings.dat", "1::1193::5::978300760", "1::661::3::978302109");
    EventLog config = config(dat.toString(), "--format", "movielens", "--min-rating", "4");
    List<Row> rows = new EventReader(spark).read(config).orderBy("ts").collectAsList();
    assertThat(rows).extracting(r -> r.getString(1)).containsExactly("1193", "661");
    assertThat(rows.get(1).getDouble(rows.get(1).fieldIndex("rating"))).isEqualTo(3.0);
  }

  @Test
  void jsonWithNumbersAndACorruptLine() {
    Path json =
        TestFiles.write(
            dir,
            "log.json",
            "{\"user_id\": 1, \"item_id\": 10, \"timestamp\": \"2024-01-01T00:00:00Z\"}",
            "{\"user_id\": 1, \"item_id\": 11, \"timestamp\": \"2024-01-01T00:01:00Z\"}",
            "{not json");
    Map<String, Long> counts =
        reasons(config(json.toString(), "--format", "json", "--time-format", "iso-8601"));
    assertThat(counts).containsEntry("ok", 2L).containsEntry("rejected.malformed-row", 1L);
  }

  @Test
  void parquetWithATypedTimestampColumn() {
    String path = dir.resolve("log.parquet").toString();
    spark
        .sql("select 'u1' as user_id, 42 as item_id, timestamp'2024-01-01 00:00:00' as timestamp")
        .write()
        .parquet(path);
    Row row = new EventReader(spark).read(config(path, "--format", "parquet")).first();
    assertThat(row.getString(1)).isEqualTo("42");
    assertThat(row.getLong(2)).isEqualTo(1_704_067_200_000L);
  }

  @Test
  void aMissingColumnIsNamedWithTheFileAndTheColumnsFound() {
    Path csv = TestFiles.write(dir, "log.csv", "user,item_id,timestamp", "u1,i1,100");
    assertThatThrownBy(() -> new EventReader(spark).read(config(csv.toString())))
        .hasMessageContaining("Cannot read input: column 'user_id' not found in")
        .hasMessageContaining("log.csv")
        .hasMessageContaining("(columns: user, item_id, timestamp)");
  }
}
