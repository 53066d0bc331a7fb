package dev.sasrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.config.Param;
import dev.sasrec.train.TrainConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class TrainCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return TrainCommand.COMMAND.execute(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void summaryOfTheSeedConfigurationNeedsNoDataAndCountsEveryParameter() {
    assertThat(run("--summary", "true", "--items", "83631")).isEqualTo(JobRunner.OK);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(table)
        .contains("item embedding                 10,704,896")
        .contains("positional embedding                6,400")
        .contains("block 2 feed-forward              131,712")
        .contains("total                          11,306,368");
  }

  @Test
  void theRemovedTrainEvalRowsOptionIsRefusedByName() {
    // train_loss now comes from the fit's own steps; an old command line must not pass silently.
    assertThat(run("--summary", "true", "--items", "100", "--train-eval-rows", "400"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Cannot parse arguments: unknown option --train-eval-rows");
  }

  @Test
  void aSeparateOutputTableIsCounted() {
    assertThat(run("--summary", "true", "--items", "83631", "--output-table", "separate"))
        .isEqualTo(JobRunner.OK);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("output item table              10,704,896")
        .contains("total                          22,011,264");
  }

  @Test
  void cafesCategoryEncoderIsCounted() {
    assertThat(
            run("--summary", "true", "--items", "83631", "--model", "cafe", "--categories", "18"))
        .isEqualTo(JobRunner.OK);
    // The category encoder: 19 × 128 embedding, 50 × 128 positions, LayerNorm 256, 3 blocks.
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("CAFE: 83,631 items (+1 padding row), 18 categories")
        .containsPattern("category embedding +2,432\n")
        .containsPattern("category block 2 feed-forward +131,712\n")
        .containsPattern("total +11,910,272\n");
  }

  @Test
  void dryRunValidatesTheManifestAndPrintsThePlan(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String prep = dev.sasrec.TinyPipeline.preprocess(dir).toString();
    assertThat(run("--input", prep, "--output", dir.resolve("run").toString(), "--dry-run", "true"))
        .as(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(JobRunner.OK);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("TrainSASRec dry run")
        .contains("4 items")
        .contains("total");
    assertThat(dir.resolve("run")).doesNotExist();
    assertThat(
            run(
                "--input",
                dir.toString(),
                "--output",
                dir.resolve("run").toString(),
                "--dry-run",
                "true"))
        .isEqualTo(JobRunner.FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Cannot use Preprocess output: no _SUCCESS")
        .doesNotContain("\tat ");
  }

  @Test
  void helpListsEveryOption() {
    assertThat(run("--help")).isEqualTo(JobRunner.OK);
    for (Param<?> option : TrainConfig.OPTIONS.load().all()) {
      assertThat(out.toString(StandardCharsets.UTF_8))
          .containsPattern("--" + option.key() + "[=\\[]");
    }
  }

  @Test
  void badValuesAreOneLineNamingTheOption() {
    assertThat(run("--input", "a", "--output", "b", "--targets", "first"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo("Cannot parse option --targets: expected one of all, last ('first')");
  }

  @Test
  void theModelsRulesNameTheOptionTheyAreAbout() {
    assertThat(run("--input", "a", "--output", "b", "--dropout", "1.5")).isEqualTo(JobRunner.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo("Cannot parse option --dropout: dropout must be in [0, 1) (1.5) ('1.5')");
    err.reset();
    assertThat(run("--input", "a", "--output", "b", "--gbce-t", "2")).isEqualTo(JobRunner.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo("Cannot parse option --gbce-t: gbce-t must be in [0, 1] (2.0) ('2')");
  }

  @Test
  void headsMustDivideTheWidth() {
    assertThat(run("--input", "a", "--output", "b", "--hidden", "10", "--heads", "3"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo("Cannot parse option --heads: hidden 10 is not divisible by heads 3 ('3')");
  }
}
