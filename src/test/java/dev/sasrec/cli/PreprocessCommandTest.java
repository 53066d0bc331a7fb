package dev.sasrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.SparkTestSession;
import dev.sasrec.TestFiles;
import dev.sasrec.config.Param;
import dev.sasrec.preprocess.PreprocessConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class PreprocessCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PreprocessCommand.COMMAND.execute(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    assertThat(run("--help")).isEqualTo(JobRunner.OK);
    for (Param<?> option : PreprocessConfig.OPTIONS.load().all()) {
      assertThat(stdout()).containsPattern("--" + option.key() + "[=\\[]");
    }
    // Wrapped at 100 columns: a default may continue on the next line.
    assertThat(stdout().replaceAll("\\s+", " "))
        .contains("[default: 50]")
        .contains("[default: leave-one-out]");
  }

  @Test
  void unknownOptionIsOneLineNamingIt() {
    assertThat(run("--input", "x", "--colour", "red")).isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo("Cannot parse arguments: unknown option --colour (see --help)");
  }

  @Test
  void badValueNamesOptionAndValue() {
    assertThat(run("--input", "x", "--output", "y", "--max-len", "fifty"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo("Cannot parse option --max-len: not an integer ('fifty')");
  }

  @Test
  void badChoiceListsTheChoices() {
    assertThat(run("--input", "x", "--output", "y", "--split", "random"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo(
            "Cannot parse option --split: expected one of leave-one-out, temporal ('random')");
  }

  @Test
  void missingInputIsNamed() {
    assertThat(run("--output", "y")).isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim()).isEqualTo("Cannot run: option --input is required");
  }

  @Test
  void temporalWithoutCutoffIsRefused() {
    assertThat(run("--input", "x", "--output", "y", "--split", "temporal"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim()).isEqualTo("Cannot run: --split temporal needs --split-time");
  }

  @Test
  void dryRunChecksColumnsAndOutputAndRunsNothing() {
    Path input =
        TestFiles.write(dir, "log.csv", "user_id,item_id,timestamp", "u,a,1", "u,b,2", "u,c,3");
    Path output = dir.resolve("planned");
    assertThat(
            run(
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--dry-run",
                "true",
                "--session-gap",
                "30m"))
        .as(stderr())
        .isEqualTo(JobRunner.OK);
    assertThat(stdout())
        .contains("Preprocess dry run")
        .contains("sessions: gap > PT30M")
        .contains("k-core: items >= 5");
    assertThat(output).doesNotExist();
    assertThat(
            run(
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--dry-run",
                "true",
                "--item-col",
                "movie"))
        .isEqualTo(JobRunner.FAILED);
    assertThat(stderr()).contains("Cannot read input: column 'movie' not found in");
  }

  @Test
  void aRunPrintsTheSummaryTable() {
    SparkTestSession.get();
    Path input =
        TestFiles.write(dir, "log.csv", "user_id,item_id,timestamp", "u,a,1", "u,b,2", "u,c,3");
    int code =
        run(
            "--input",
            input.toString(),
            "--output",
            dir.resolve("out").toString(),
            "--min-item-count",
            "1",
            "--min-user-count",
            "1");
    assertThat(code).as(stderr()).isEqualTo(JobRunner.OK);
    assertThat(stdout()).contains("rows read").contains("examples train / val / test");
  }

  @Test
  void aMissingInputFileFailsWithExitCodeOne() {
    SparkTestSession.get();
    int code =
        run(
            "--input",
            dir.resolve("nope.csv").toString(),
            "--output",
            dir.resolve("out").toString());
    assertThat(code).isEqualTo(JobRunner.FAILED);
    // A routine failure: one line, no stack trace.
    assertThat(stderr().lines().toList())
        .containsExactly("Cannot read input: it does not exist (" + dir.resolve("nope.csv") + ")");
  }
}
