package dev.sasrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.TinyPipeline;
import dev.sasrec.config.Param;
import dev.sasrec.recommend.RecommendConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class RecommendCommandTest {

  @TempDir static Path dir;

  private static Path prep;
  private static Path model;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void prepare() {
    prep = TinyPipeline.preprocess(dir);
    model = TinyPipeline.model(dir.resolve("run/model"), prep, TinyPipeline.items(prep));
  }

  private int run(String... args) {
    return RecommendCommand.COMMAND.execute(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** Recommend with {@code modelDir}, the tiny Preprocess output, {@code output} and more args. */
  private int run(Path modelDir, Path output, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--model",
                modelDir.toString(),
                "--input",
                prep.toString(),
                "--output",
                output.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private int dryRun(Path modelDir, Path output, String... extra) {
    return run(modelDir, output, concat(List.of("--dry-run", "true", "--k", "3"), extra));
  }

  /** A real run of the tiny model: top 2, seen items not excluded, and {@code extra}. */
  private int recommend(Path output, String... extra) {
    return run(model, output, concat(List.of("--k", "2", "--exclude-seen", "false"), extra));
  }

  private static String[] concat(List<String> first, String... then) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(then));
    return all.toArray(String[]::new);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsEveryOption() {
    assertThat(run("--help")).isEqualTo(JobRunner.OK);
    for (Param<?> option : RecommendConfig.OPTIONS.load().all()) {
      assertThat(stdout()).containsPattern("--" + option.key() + "[=\\[]");
    }
  }

  @Test
  void dryRunValidatesModelAndInputAndPrintsThePlan() {
    Path output = dir.resolve("recs");
    assertThat(dryRun(model, output, "--k", "3", "--export-embeddings", "true"))
        .as(stderr())
        .isEqualTo(JobRunner.OK);
    assertThat(stdout())
        .contains("Recommend dry run")
        .contains("4 items, length 50")
        .contains("top 3 per user")
        .contains("seen items left out")
        .contains(output.resolve("embeddings").toString());
    assertThat(output).doesNotExist();
  }

  @Test
  void aRunEndsWithTheFirstListsReadBackFromTheOutput() {
    Path output = dir.resolve("run-recs");
    int code = recommend(output);
    assertThat(code).as(stderr()).isEqualTo(JobRunner.OK);
    assertThat(stdout())
        .contains("Recommend finished: " + output)
        .containsPattern("The first \\d lists, top 5 items \\(score\\):\n")
        .containsPattern("(?m)^  user \\S+, session \\d+: \\S+ \\(-?\\d+\\.\\d\\d\\)");
  }

  @Test
  void theFirstListsAreReadBackFromPerUserJsonToo() {
    Path output = dir.resolve("run-recs-json");
    int code = recommend(output, "--layout", "per-user", "--format", "json");
    assertThat(code).as(stderr()).isEqualTo(JobRunner.OK);
    assertThat(stdout())
        .containsPattern("The first \\d lists, top 5 items \\(score\\):\n")
        .containsPattern("(?m)^  user [^,\\s]+: \\S+ \\(-?\\d+\\.\\d\\d\\)");
  }

  @Test
  void dryRunRefusesAModelWhoseVocabularyDoesNotFitItsNetwork() {
    Path other = TinyPipeline.model(dir.resolve("other/model"), prep, TinyPipeline.items(prep) + 1);
    assertThat(dryRun(other, dir.resolve("recs"))).isEqualTo(JobRunner.FAILED);
    assertThat(stderr())
        .contains(
            "Cannot read model: its vocabulary has 4 items and 0 categories, its network 5 and 0;"
                + " the model directory is damaged, train it again");
    assertThat(stderr()).doesNotContain("\tat ");
  }

  @Test
  void dryRunRefusesADirectoryWithoutAModel() {
    assertThat(dryRun(prep, dir.resolve("recs"))).isEqualTo(JobRunner.FAILED);
    assertThat(stderr()).contains("Cannot read model: model.zip is missing");
  }

  @Test
  void dryRunRefusesAnExistingOutputUnlessOverwriting() throws Exception {
    Path output = Files.createDirectories(dir.resolve("existing"));
    assertThat(dryRun(model, output)).isEqualTo(JobRunner.FAILED);
    assertThat(stderr()).contains("Cannot write output: it already exists");
    assertThat(stderr()).doesNotContain("\tat ");
    assertThat(dryRun(model, output, "--overwrite", "true")).as(stderr()).isEqualTo(JobRunner.OK);
    assertThat(stdout()).contains("(replacing an existing output)");
  }

  @Test
  void dryRunRefusesAnIncompleteInput() {
    assertThat(
            run(
                "--model",
                model.toString(),
                "--input",
                dir.toString(),
                "--output",
                dir.resolve("recs").toString(),
                "--dry-run",
                "true",
                "--k",
                "3"))
        .isEqualTo(JobRunner.FAILED);
    assertThat(stderr()).contains("Cannot use Preprocess output: no _SUCCESS");
  }
}
