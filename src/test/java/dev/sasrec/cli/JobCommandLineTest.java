package dev.sasrec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.OptionSet;
import dev.sasrec.config.OptionTable;
import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
import dev.sasrec.config.UsageException;
import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.recommend.RecommendConfig;
import dev.sasrec.sample.SampleConfig;
import dev.sasrec.train.TrainConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line every entry point shares, through real commands that need no Spark
 * (GenerateSample, TrainSASRec --summary) and through a defaults text made up here, which shows
 * that an option needs nothing but its line in a defaults file.
 */
class JobCommandLineTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(JobRunner.Command command, String... args) {
    return command.execute(
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

  /** Options declared here and nowhere else. */
  private static final OptionTable MADE_UP =
      new OptionSet(
              "made-up",
              "",
              List.of(
                  Param.uri("target").required().doc("Where to write."),
                  Param.integer("count", 3).doc("How many."),
                  Param.bool("shiny", false).doc("Shiny or not."),
                  Param.bool("matte", true).doc("Matte or not.")))
          .load();

  private static Options parse(OptionTable table, String... args) {
    return new JobCommandLine(table, "Usage: made-up").parse(args).options();
  }

  @Test
  void aDeclaredOptionNeedsNoOtherCode() {
    Options o = parse(MADE_UP, "--target", "t", "--count=7");
    assertThat(o.asMap()).containsEntry("target", "t").containsEntry("count", "7");
    assertThat(o.asMap()).containsEntry("shiny", "false").containsEntry("matte", "true");
  }

  @Test
  void aTrueFalseOptionStandsAloneOrTakesAValue() {
    assertThat(parse(MADE_UP, "--shiny").asMap()).containsEntry("shiny", "true");
    assertThat(parse(MADE_UP, "--shiny", "--count", "4").asMap())
        .containsEntry("shiny", "true")
        .containsEntry("count", "4");
    assertThat(parse(MADE_UP, "--shiny", "false").asMap()).containsEntry("shiny", "false");
    assertThat(parse(MADE_UP, "--matte", "false").asMap()).containsEntry("matte", "false");
    assertThat(parse(MADE_UP, "--shiny=true").asMap()).containsEntry("shiny", "true");
    // A word that is not true or false is still its value, refused by name when read.
    Options yes = parse(MADE_UP, "--shiny", "yes");
    assertThatThrownBy(() -> yes.bool(Key.SHINY))
        .hasMessage("Cannot parse option --shiny: expected true or false ('yes')");
  }

  enum Key implements OptionKey {
    SHINY
  }

  @Test
  void theSummaryNeedsNeitherInputNorOutputNorTrue() {
    assertThat(run(TrainCommand.COMMAND, "--summary", "--items", "83631"))
        .as(stderr())
        .isEqualTo(JobRunner.OK);
    assertThat(stdout()).contains("total                          11,306,368");
  }

  @Test
  void theLastOfAnOptionGivenTwiceWins() {
    assertThat(parse(MADE_UP, "--count", "4", "--count", "5").asMap()).containsEntry("count", "5");
  }

  @Test
  void aMistypedOptionGetsTheClosestSuggested() {
    assertThat(run(TrainCommand.COMMAND, "--input", "a", "--output", "b", "--epoch", "3"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo("Cannot parse arguments: unknown option --epoch (did you mean --epochs?)");
    err.reset();
    assertThat(run(PreprocessCommand.COMMAND, "--session-gaps=1h")).isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo(
            "Cannot parse arguments: unknown option --session-gaps (did you mean --session-gap?)");
  }

  @Test
  void nothingIsSuggestedWhenNothingIsClose() {
    assertThat(run(PreprocessCommand.COMMAND, "--colour", "red")).isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo("Cannot parse arguments: unknown option --colour (see --help)");
    assertThat(JobCommandLine.ParseErrors.closest("--batchsize", List.of("--batch-size", "--b")))
        .isEqualTo("--batch-size");
    assertThat(JobCommandLine.ParseErrors.editDistance("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  void aWordWhereAnOptionBelongsIsNamed() {
    assertThat(run(GenerateSampleCommand.COMMAND, "--output", "x", "extra"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo(
            "Cannot parse arguments: unexpected argument 'extra' (options start with --; see"
                + " --help)");
  }

  @Test
  void anOptionWithoutItsValueIsNamed() {
    assertThat(run(GenerateSampleCommand.COMMAND, "--output")).isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim()).isEqualTo("Cannot parse arguments: option --output needs a value");
  }

  @Test
  void everyMissingRequiredOptionIsNamedAtOnce() {
    assertThat(run(RecommendCommand.COMMAND, "--k", "5")).isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo("Cannot run: options --model, --input and --output are required");
    err.reset();
    assertThat(run(TrainCommand.COMMAND)).isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo(
            "Cannot run: options --input (unless --summary) and --output (unless --summary) are"
                + " required");
    err.reset();
    assertThat(run(TrainCommand.COMMAND, "--summary")).isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo("Cannot run: option --items (with --summary) is required");
  }

  @Test
  void aRoutineFailureIsOneLineAndVerboseAddsTheTrace() throws Exception {
    Path log = dir.resolve("log.csv");
    String[] args = {"--output", log.toString(), "--events", "50", "--overwrite", "false"};
    assertThat(run(GenerateSampleCommand.COMMAND, args)).as(stderr()).isEqualTo(JobRunner.OK);
    assertThat(run(GenerateSampleCommand.COMMAND, args)).isEqualTo(JobRunner.FAILED);
    assertThat(stderr().lines().toList())
        .containsExactly(
            "Cannot write sample: it already exists; pass --overwrite true to replace it ("
                + log
                + ")");
    err.reset();
    String[] verbose =
        List.of("--verbose", "--output", log.toString(), "--overwrite", "false")
            .toArray(String[]::new);
    assertThat(run(GenerateSampleCommand.COMMAND, verbose)).isEqualTo(JobRunner.FAILED);
    assertThat(stderr())
        .startsWith("Cannot write sample: it already exists")
        .contains("dev.sasrec.config.Refusal")
        .contains("\tat dev.sasrec.io.JobOutput");
  }

  @Test
  void aBadValueIsOneLineAndVerboseAddsTheTrace() {
    assertThat(run(GenerateSampleCommand.COMMAND, "--output", "x", "--users", "many"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(stderr().lines().toList())
        .containsExactly("Cannot parse option --users: not an integer ('many')");
    err.reset();
    assertThat(run(GenerateSampleCommand.COMMAND, "--output", "x", "--users", "many", "--verbose"))
        .isEqualTo(JobRunner.USAGE);
    assertThat(stderr()).contains(UsageException.class.getName()).contains("\tat ");
  }

  @Test
  void anUnexpectedFailureKeepsItsTrace() {
    JobRunner.Command broken =
        new JobRunner.Command(
            SampleConfig.OPTIONS,
            "Usage: broken",
            (options, out) -> {
              throw new IllegalStateException("Cannot go on: something unforeseen");
            });
    assertThat(run(broken, "--output", "x")).isEqualTo(JobRunner.FAILED);
    assertThat(stderr())
        .startsWith("Cannot go on: something unforeseen")
        .contains("java.lang.IllegalStateException")
        .contains("\tat ");
  }

  @Test
  void versionNamesTheJarSparkDl4jAndTheNativeBuild() {
    assertThat(run(TrainCommand.COMMAND, "--version")).isEqualTo(JobRunner.OK);
    assertThat(stdout())
        .containsPattern("(?m)^sasrec-spark \\d+\\.\\d+\\.\\d+")
        .contains("Spark 3.5.1 (built against 3.5.1")
        .contains("DL4J/ND4J 1.0.0-M2.1")
        .containsPattern("ND4J backend nd4j-[a-z0-9.-]+, native build linux-x86_64")
        .doesNotContain("${");
  }

  @Test
  void helpFitsInAHundredColumnsAndMarksRequiredOptions() {
    for (JobRunner.Command command :
        List.of(
            PreprocessCommand.COMMAND,
            TrainCommand.COMMAND,
            RecommendCommand.COMMAND,
            GenerateSampleCommand.COMMAND)) {
      out.reset();
      assertThat(run(command, "-h")).isEqualTo(JobRunner.OK);
      String help = stdout();
      assertThat(help.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
      assertThat(help).doesNotContain("(none)").contains("--config=URI").contains("--verbose");
      for (Param<?> option : command.options().load().all()) {
        String marker = option.requirement().optional() ? " " : "*";
        assertThat(help)
            .containsPattern("(?m)^" + "\\" + marker + " +" + option.flag() + "[=\\[ ]");
      }
    }
  }

  @Test
  void aConfigFileSitsBetweenTheDefaultsAndTheCommandLine() throws Exception {
    Path config = dir.resolve("sample.properties");
    Files.writeString(config, "users = 30\nitems = 20\nevents = 300\n");
    Path log = dir.resolve("log.csv");
    int code =
        run(
            GenerateSampleCommand.COMMAND,
            "--config",
            config.toString(),
            "--output",
            log.toString(),
            "--items",
            "25");
    assertThat(code).as(stderr()).isEqualTo(JobRunner.OK);
    // users and events from the file, items from the command line, the seed from the defaults.
    assertThat(stdout()).contains("Wrote 300 rows (30 users, 25 items, seed 42)");
  }

  @Test
  void aConfigFileMaySupplyRequiredOptions() throws Exception {
    Path log = dir.resolve("from-config.csv");
    Path config = dir.resolve("sample.properties");
    Files.writeString(config, "output = " + log + "\nevents = 40\n");
    assertThat(run(GenerateSampleCommand.COMMAND, "--config", config.toString()))
        .as(stderr())
        .isEqualTo(JobRunner.OK);
    assertThat(log).exists();
  }

  @Test
  void aConfigFileWithAKeyOfNoOptionIsRefused() throws Exception {
    Path config = dir.resolve("bad.properties");
    Files.writeString(config, "colour = red\n");
    assertThat(run(GenerateSampleCommand.COMMAND, "--config", config.toString()))
        .isEqualTo(JobRunner.USAGE);
    assertThat(stderr().trim())
        .isEqualTo("Cannot read --config file: unknown key colour (" + config + ")");
  }

  @Test
  void everyJobsOptionsAreOptionsOfItsCommand() {
    for (OptionSet job :
        List.of(
            PreprocessConfig.OPTIONS,
            TrainConfig.OPTIONS,
            RecommendConfig.OPTIONS,
            SampleConfig.OPTIONS)) {
      OptionTable table = job.load();
      Options o = new JobCommandLine(table, "Usage: x").parse(new String[0]).options();
      assertThat(o.asMap()).isEqualTo(table.defaults());
    }
  }
}
