package dev.sasrec.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sasrec.SparkTestSession;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreprocessJobTest {

  @TempDir static Path dir;

  private final SparkSession spark = SparkTestSession.get();
  private PreprocessStats stats;
  private PreprocessLayout layout;

  @BeforeAll
  void runOnce() {
    Path input = PreprocessFixture.write(dir);
    String output = dir.resolve("out").toString();
    stats = new PreprocessJob(spark).run(PreprocessFixture.config(input.toString(), output));
    layout = PreprocessLayout.at(output);
  }

  private List<String> rows(Split split) {
    return rows(layout, split);
  }

  private List<String> rows(PreprocessLayout output, Split split) {
    return spark
        .read()
        .parquet(output.sequences(split).toString())
        .orderBy("user_index", "session")
        .collectAsList()
        .stream()
        .map(PreprocessJobTest::show)
        .toList();
  }

  private static String show(Row r) {
    return r.getAs("user_id")
        + " items="
        + r.getList(r.fieldIndex("items"))
        + " targets="
        + r.getList(r.fieldIndex("targets"))
        + " target="
        + r.getAs("target")
        + " history="
        + r.getList(r.fieldIndex("history"))
        + " length="
        + r.getAs("length");
  }

  @Test
  void everyRowIsKeptOrCountedUnderOneReason() {
    assertThat(stats.rowsRead()).isEqualTo(13);
    assertThat(stats.eventsKept()).isEqualTo(10);
    assertThat(stats.dropped())
        .containsEntry("duplicate", 1L)
        .containsEntry("short-session", 1L)
        .containsEntry("rejected.missing-item", 1L)
        .containsEntry("k-core", 0L);
    assertThat(stats.dropped().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
  }

  @Test
  void itemsAreIndexedByDescendingFrequencyThenRawId() {
    List<String> items =
        spark.read().parquet(layout.items().toString()).orderBy("index").collectAsList().stream()
            .map(r -> r.getInt(0) + "=" + r.getString(1) + "x" + r.getLong(2))
            .toList();
    assertThat(items).containsExactly("1=ax3", "2=bx3", "3=cx2", "4=dx1", "5=ex1");
    List<String> users =
        spark.read().parquet(layout.users().toString()).orderBy("index").collectAsList().stream()
            .map(r -> r.getInt(0) + "=" + r.getString(1))
            .toList();
    assertThat(users).containsExactly("1=u1", "2=u2", "3=u3");
  }

  @Test
  void leaveOneOutExamplesArePaddedAndTruncated() {
    assertThat(rows(Split.TRAIN))
        .containsExactly(
            "u1 items=[0, 1, 2] targets=[0, 2, 3] target=3 history=[1, 2] length=2",
            "u3 items=[0, 0, 2] targets=[0, 0, 1] target=1 history=[2] length=1");
    assertThat(rows(Split.VALIDATION))
        .containsExactly(
            "u1 items=[1, 2, 3] targets=[2, 3, 4] target=4 history=[1, 2, 3] length=3",
            "u2 items=[0, 0, 1] targets=[0, 0, 2] target=2 history=[1] length=1");
    assertThat(rows(Split.TEST))
        .containsExactly(
            "u1 items=[2, 3, 4] targets=[3, 4, 5] target=5 history=[1, 2, 3, 4] length=4",
            "u2 items=[0, 1, 2] targets=[0, 2, 3] target=3 history=[1, 2] length=2");
  }

  @Test
  void statsManifestRejectsAndSuccessAreWritten() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode written = json.readTree(Files.readString(Path.of(layout.stats().toString())));
    assertThat(written.get("rowsRead").asLong()).isEqualTo(13);
    assertThat(written.get("splits").get("withoutTest").asLong()).isEqualTo(1);
    assertThat(written.get("sequenceLength").get("max").asLong()).isEqualTo(5);
    assertThat(written.get("timeRange").get("first").asText()).isEqualTo("1970-01-01T00:00:01Z");
    assertThat(stats.truncatedInputs()).isEqualTo(1);
    JsonNode manifest = json.readTree(Files.readString(Path.of(layout.manifest().toString())));
    assertThat(manifest.get("schemaVersion").asInt()).isEqualTo(2);
    assertThat(manifest.get("items").asInt()).isEqualTo(5);
    assertThat(manifest.get("config").get("max-len").asText()).isEqualTo("3");
    assertThat(Files.exists(Path.of(layout.success().toString()))).isTrue();
    List<Row> rejected = spark.read().json(layout.rejected().toString()).collectAsList();
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).<String>getAs("raw")).contains("\"user_id\":\"u5\"");
    assertThat(rejected.get(0).<String>getAs("reason")).isEqualTo("rejected.missing-item");
  }

  @Test
  void rowsReadIsEveryDataLineBlankOnesCountedAndKeptInRejected() throws IOException {
    List<String> lines = new ArrayList<>(List.of(PreprocessFixture.LINES));
    lines.add(3, "\t\t\t");
    lines.add(7, "  ");
    lines.add(9, "");
    Path input = dir.resolve("blank/log.csv");
    Files.createDirectories(input.getParent());
    Files.writeString(input, String.join("\n", lines) + "\n");
    String output = dir.resolve("blank/out").toString();
    PreprocessStats s =
        new PreprocessJob(spark).run(PreprocessFixture.config(input.toString(), output));
    long dataLines = lines.size() - 1;
    assertThat(s.rowsRead()).isEqualTo(dataLines).isEqualTo(16);
    assertThat(s.dropped()).containsEntry("rejected.blank-row", 3L);
    assertThat(s.eventsKept()).isEqualTo(stats.eventsKept());
    List<Row> rejected =
        spark
            .read()
            .json(PreprocessLayout.at(output).rejected().toString())
            .filter("reason = 'rejected.blank-row'")
            .collectAsList();
    assertThat(rejected).hasSize(3);
    assertThat(rejected)
        .allSatisfy(r -> assertThat(r.<String>getAs("raw")).startsWith("{\"line\":"));
  }

  @Test
  void profileHoldsTheLengthAndPopularityHistograms() throws IOException {
    JsonNode profile =
        new ObjectMapper().readTree(Files.readString(Path.of(layout.profile().toString())));
    // u1, u2, u3 keep 5, 3 and 2 events; a and b occur 3 times, c twice, d and e once.
    assertThat(profile.get("sequenceLengths").toString())
        .isEqualTo(
            "[{\"length\":2,\"sequences\":1},{\"length\":3,\"sequences\":1},"
                + "{\"length\":5,\"sequences\":1}]");
    assertThat(profile.get("itemPopularity").toString())
        .isEqualTo(
            "[{\"events\":3,\"items\":2},{\"events\":2,\"items\":1},"
                + "{\"events\":1,\"items\":2}]");
  }

  @Test
  void eachStepSaysWhichStepRunsAndWhatItHandled() {
    List<String> lines = new java.util.ArrayList<>();
    String output = dir.resolve("progress").toString();
    PreprocessStats s =
        new PreprocessJob(spark, lines::add)
            .run(PreprocessFixture.config(dir.resolve("log.csv").toString(), output));
    long rejected =
        s.dropped().entrySet().stream()
            .filter(e -> e.getKey().startsWith("rejected."))
            .mapToLong(java.util.Map.Entry::getValue)
            .sum();
    assertThat(lines.get(0)).startsWith("Preprocess: Read and parse ");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "Preprocess: Read and parse .*: "
                            + s.rowsRead()
                            + " rows read, "
                            + (s.rowsRead() - rejected)
                            + " usable, "
                            + rejected
                            + " rejected \\([^)]+\\)"))
        .contains("Preprocess: Remove exact duplicates", "Preprocess: k-core filter")
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "Preprocess: Build vocabularies: "
                            + s.items()
                            + " items, "
                            + s.users()
                            + " users \\(.*"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "Preprocess: Split and write sequences: "
                            + s.splits().train()
                            + " train, "
                            + s.splits().validation()
                            + " validation, "
                            + s.splits().test()
                            + " test examples ("));
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "Preprocess: done in [^:]+: "
                + s.rowsRead()
                + " rows read, "
                + s.eventsKept()
                + " events kept, "
                + s.sequences()
                + " sequences \\(.*progress\\)");
  }

  @Test
  void aMissingInputIsARefusalBeforeAnythingIsWritten() {
    String output = dir.resolve("never").toString();
    assertThatThrownBy(
            () ->
                new PreprocessJob(spark)
                    .run(PreprocessFixture.config(dir.resolve("nope.csv").toString(), output)))
        .isInstanceOf(dev.sasrec.config.Refusal.class)
        .hasMessage("Cannot read input: it does not exist (" + dir.resolve("nope.csv") + ")");
    assertThat(Path.of(output)).doesNotExist();
  }

  @Test
  void sameInputAndConfigGiveTheSameOutput() {
    String again = dir.resolve("again").toString();
    new PreprocessJob(spark)
        .run(PreprocessFixture.config(dir.resolve("log.csv").toString(), again));
    PreprocessLayout second = PreprocessLayout.at(again);
    for (Split split : Split.values()) {
      assertThat(spark.read().parquet(second.sequences(split).toString()).collectAsList())
          .isEqualTo(spark.read().parquet(layout.sequences(split).toString()).collectAsList());
    }
    assertThat(spark.read().parquet(second.items().toString()).collectAsList())
        .isEqualTo(spark.read().parquet(layout.items().toString()).collectAsList());
  }

  @Test
  void anExistingOutputIsKeptUnlessOverwriteIsGiven() {
    String output = layout.root().toString();
    String input = dir.resolve("log.csv").toString();
    assertThatThrownBy(
            () ->
                new PreprocessJob(spark)
                    .run(PreprocessFixture.config(input, output, "--overwrite", "false")))
        .hasMessageStartingWith("Cannot write output: it already exists");
  }

  @Test
  void kCoreAndSessionGapsChangeTheCounts() {
    String output = dir.resolve("kcore").toString();
    PreprocessStats s =
        new PreprocessJob(spark)
            .run(
                PreprocessFixture.config(
                    dir.resolve("log.csv").toString(),
                    output,
                    "--min-item-count",
                    "2",
                    "--min-user-count",
                    "2",
                    "--session-gap",
                    "5s"));
    // Items d, e, z are rare; then u4 has nothing. u2's events are 10 s apart: 3 sessions of 1.
    assertThat(s.dropped().get("k-core")).isEqualTo(3);
    assertThat(s.sessions().made()).isEqualTo(5);
    assertThat(s.sessions().dropped()).isEqualTo(3);
    assertThat(s.eventsKept()).isEqualTo(5);
    assertThat(s.rowsRead()).isEqualTo(13);
  }

  @Test
  void ratingEventTypeAndRepeatFiltersAreCountedByReason() throws Exception {
    Path input =
        dev.sasrec.TestFiles.write(
            dir,
            "filters.csv",
            "user_id,item_id,timestamp,rating,kind",
            "u,a,1,5,view",
            "u,a,2,5,view",
            "u,b,3,1,view",
            "u,c,4,5,click",
            "u,d,5,4,view",
            "u,e,6,4,view");
    String output = dir.resolve("filters-out").toString();
    PreprocessStats s =
        new PreprocessJob(spark)
            .run(
                PreprocessFixture.config(
                    input.toString(),
                    output,
                    "--rating-col",
                    "rating",
                    "--min-rating",
                    "4",
                    "--event-col",
                    "kind",
                    "--event-types",
                    "view",
                    "--collapse-repeats",
                    "true"));
    assertThat(s.dropped())
        .containsEntry("filtered.min-rating", 1L)
        .containsEntry("filtered.event-type", 1L)
        .containsEntry("consecutive-repeat", 1L);
    assertThat(s.eventsKept()).isEqualTo(3);
    assertThat(s.rowsRead()).isEqualTo(6);
  }

  @Test
  void temporalSplit() {
    String output = dir.resolve("temporal").toString();
    PreprocessStats s =
        new PreprocessJob(spark)
            .run(
                PreprocessFixture.config(
                    dir.resolve("log.csv").toString(),
                    output,
                    "--split",
                    "temporal",
                    "--split-time",
                    "4"));
    // Cut at t=4 s: u1 tests on d (input a,b,c); u2 and u3 start after the cut-off... u3 at 7 s.
    assertThat(s.splits().test()).isEqualTo(1);
    assertThat(s.splits().validation()).isEqualTo(1);
    assertThat(s.splits().train()).isEqualTo(1);
    assertThat(s.splits().unused()).isEqualTo(2);
  }

  @Test
  void aHeavyUserKeepsItsMostRecentEventsAndTheCapIsCounted() throws IOException {
    // h: twelve events on items 101..112 (one each, so item i's index is i - 100); l: three
    // events on 201..203 (indices 13..15). Cap 6 with max-len 3: h keeps 107..112.
    List<String> lines = new ArrayList<>(List.of("user_id,item_id,timestamp"));
    for (int t = 1; t <= 12; t++) {
      lines.add("h," + (100 + t) + "," + t);
    }
    lines.addAll(List.of("l,201,1", "l,202,2", "l,203,3"));
    Path log = dev.sasrec.TestFiles.write(dir, "heavy.csv", lines.toArray(String[]::new));
    String output = dir.resolve("heavy").toString();
    PreprocessStats s =
        new PreprocessJob(spark)
            .run(PreprocessFixture.config(log.toString(), output, "--max-sequence-events", "6"));
    assertThat(s.sequenceCap()).isEqualTo(new PreprocessStats.SequenceCap(6, 1, 6));
    // Left out of the sequence, not dropped: they still count for the vocabulary.
    assertThat(s.eventsKept()).isEqualTo(15);
    assertThat(s.items()).isEqualTo(15);
    PreprocessLayout heavy = PreprocessLayout.at(output);
    assertThat(rows(heavy, Split.TEST))
        .containsExactly(
            "h items=[9, 10, 11] targets=[10, 11, 12] target=12 history=[7, 8, 9, 10, 11]"
                + " length=5",
            "l items=[0, 13, 14] targets=[0, 14, 15] target=15 history=[13, 14] length=2");
    // l's three events leave one training item: no training example (as without a cap).
    assertThat(rows(heavy, Split.TRAIN))
        .containsExactly(
            "h items=[7, 8, 9] targets=[8, 9, 10] target=10 history=[7, 8, 9] length=3");
    JsonNode cap =
        new ObjectMapper()
            .readTree(Files.readString(Path.of(heavy.stats().toString())))
            .get("sequenceCap");
    assertThat(cap.get("sequencesCapped").asLong()).isEqualTo(1);
    assertThat(cap.get("eventsLeftOut").asLong()).isEqualTo(6);
  }

  @Test
  void aCapShorterThanAnExampleNeedsIsRefused() {
    assertThatThrownBy(
            () ->
                PreprocessFixture.config(
                    "in.csv", "out", "--max-len", "10", "--max-sequence-events", "12"))
        .hasMessageContaining("--max-sequence-events")
        .hasMessageContaining("12")
        .hasMessageContaining("--max-len + 3 (13)");
  }
}
