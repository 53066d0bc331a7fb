package dev.sasrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sasrec.SparkTestSession;
import dev.sasrec.TinyPipeline;
import dev.sasrec.io.IndexedIds;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.RecommendLayout;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.TrainLayout;
import dev.sasrec.io.Vocabularies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile inputs that are valid: a log with CRLF line ends, RFC 4180 quotes (a comma and
 * doubled quotes inside an id), ids in four scripts with emoji and combining marks, and ids of
 * 10,000 characters, plus one blank line and one row without an item. Preprocess, TrainSASRec and
 * Recommend must all succeed, every id must come out exactly as it went in, and every count must be
 * conserved: each data line read is kept or counted under one reason, each user gets one list.
 */
@Tag("spark")
class HostileButValidInputTest {

  /** Characters of the longest ids: far beyond any column width a database would pick. */
  private static final int LONG_ID_LENGTH = 10_000;

  private static final String LONG_ITEM = "i".repeat(LONG_ID_LENGTH - 1) + "!";
  private static final String LONG_USER = "u".repeat(LONG_ID_LENGTH - 1) + "?";

  /** An item id as read: the file spells it {@code "a ""quoted"" item, with a comma"}. */
  private static final String QUOTED_ITEM = "a \"quoted\" item, with a comma";

  private static final List<String> ITEMS =
      List.of("映画 🎬", "עברית", "e\u0301te\u0301", QUOTED_ITEM, LONG_ITEM);
  private static final List<String> USERS = List.of("Jürgen", "用户二", "🙂 user", LONG_USER);

  private static final String CRLF = "\r\n";
  private static final int EVENTS_PER_USER = ITEMS.size();
  private static final int K = 2;

  @TempDir static Path dir;

  private static Path input;
  private static long dataLines;

  @BeforeAll
  static void writeLog() throws IOException {
    SparkTestSession.get();
    List<String> lines = new ArrayList<>(List.of("user_id,item_id,timestamp"));
    for (int u = 0; u < USERS.size(); u++) {
      for (int e = 0; e < EVENTS_PER_USER; e++) {
        // Each user sees the items in another order, so that the sequences differ.
        String item = ITEMS.get((u + e) % ITEMS.size());
        lines.add(quoted(USERS.get(u)) + "," + quoted(item) + "," + (1_000_000 + e));
      }
    }
    lines.add(3, "");
    lines.add(7, quoted(USERS.get(0)) + ",," + 1_000_100);
    dataLines = lines.size() - 1;
    input = dir.resolve("log.csv");
    Files.writeString(input, String.join(CRLF, lines) + CRLF, StandardCharsets.UTF_8);
  }

  /** RFC 4180: a field with a comma or a quote is quoted, its quotes doubled. */
  private static String quoted(String field) {
    return field.contains(",") || field.contains("\"")
        ? "\"" + field.replace("\"", "\"\"") + "\""
        : field;
  }

  @Test
  void everyJobSucceedsKeepsEachIdExactlyAndConservesTheCounts() throws IOException {
    Path prep = dir.resolve("prep");
    TinyPipeline.preprocess(input, prep);

    PreprocessLayout data = PreprocessLayout.at(prep.toString());
    JsonNode stats = json(data.stats());
    long kept = stats.get("eventsKept").asLong();
    long dropped = sum(stats.get("dropped"));
    assertThat(stats.get("rowsRead").asLong()).as("every data line read").isEqualTo(dataLines);
    assertThat(kept + dropped).as("kept + dropped = read").isEqualTo(dataLines);
    assertThat(kept).isEqualTo((long) USERS.size() * EVENTS_PER_USER);
    assertThat(stats.get("dropped").get("rejected.blank-row").asLong()).isEqualTo(1);
    assertThat(stats.get("dropped").get("rejected.missing-item").asLong()).isEqualTo(1);
    assertThat(SparkTestSession.get().read().json(data.rejected().toString()).count())
        .as("rejected rows kept")
        .isEqualTo(dropped);
    assertThat(ids(data.items())).containsExactlyInAnyOrderElementsOf(ITEMS);
    assertThat(ids(data.users())).containsExactlyInAnyOrderElementsOf(USERS);

    Path runDir = dir.resolve("run");
    run(
        TrainCommand.COMMAND,
        "--input",
        prep.toString(),
        "--output",
        runDir.toString(),
        "--epochs",
        "1",
        "--workers",
        "1",
        "--batch-size",
        "2",
        "--hidden",
        "4",
        "--blocks",
        "1",
        "--heads",
        "1",
        "--ffn",
        "4");
    TrainLayout train = TrainLayout.at(runDir.toString());
    assertThat(ids(train.modelDir().items()))
        .as("the model's own vocabulary")
        .containsExactlyInAnyOrderElementsOf(ITEMS);

    Path recs = dir.resolve("recs");
    run(
        RecommendCommand.COMMAND,
        "--model",
        train.modelDir().root().toString(),
        "--input",
        prep.toString(),
        "--output",
        recs.toString(),
        "--k",
        String.valueOf(K),
        "--exclude-seen",
        "false");
    RecommendLayout out = RecommendLayout.at(recs.toString());
    List<Row> rows =
        SparkTestSession.get().read().parquet(out.recommendations().toString()).collectAsList();
    assertThat(rows).hasSize(USERS.size() * K);
    assertThat(rows.stream().map(r -> r.<String>getAs(SequenceSchema.USER_ID)).distinct())
        .containsExactlyInAnyOrderElementsOf(USERS);
    assertThat(rows.stream().map(r -> r.<String>getAs(Vocabularies.ITEM_ID)))
        .allMatch(ITEMS::contains);
    JsonNode recommendStats = json(out.stats());
    assertThat(recommendStats.get("lists").asLong()).isEqualTo(USERS.size());
    assertThat(recommendStats.get("recommendations").asLong()).isEqualTo((long) USERS.size() * K);
    assertThat(recommendStats.get("unknownItemsSkipped").asLong()).isZero();
  }

  private static void run(JobRunner.Command command, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        command.execute(
            args,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(JobRunner.OK);
  }

  private static List<String> ids(org.apache.hadoop.fs.Path table) {
    String[] ids = IndexedIds.read(table, null, new Configuration()).ids();
    return Arrays.stream(ids).filter(Objects::nonNull).toList();
  }

  private static JsonNode json(org.apache.hadoop.fs.Path file) throws IOException {
    return new ObjectMapper().readTree(Files.readString(Path.of(file.toUri().getPath())));
  }

  private static long sum(JsonNode counts) {
    long sum = 0;
    for (JsonNode count : counts) {
      sum += count.asLong();
    }
    return sum;
  }
}
