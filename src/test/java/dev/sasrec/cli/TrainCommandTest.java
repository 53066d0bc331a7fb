package dev.sasrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.config.OptionTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return TrainCommand.execute(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void summaryOfTheSeedConfigurationNeedsNoDataAndCountsEveryParameter() {
    assertThat(run("--summary", "true", "--items", "83631")).isEqualTo(JobRunner.OK);
    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(table)
        .contains("item embedding                 10,704,896")
        .contains("positional embedding                6,400")
        .contains("block 2 feed-forward              131,712")
        .contains("total                          11,306,368");
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
  void helpListsEveryOption() {
    assertThat(run("--help")).isEqualTo(JobRunner.OK);
    for (OptionTable.Option option : OptionTable.load("train").all()) {
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("--" + option.key() + " ");
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
  void headsMustDivideTheWidth() {
    assertThat(run("--input", "a", "--output", "b", "--hidden", "10", "--heads", "3"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo("Cannot parse option --heads: hidden 10 is not divisible by it (3)");
  }
}
