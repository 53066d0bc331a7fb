package dev.sasrec.cli;

import dev.sasrec.SparkTestSession;
import dev.sasrec.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Preprocess fed hostile inputs, as a scheduler would run it: each must end with its exit code, one
 * {@code Cannot} line on stderr and no stack trace, no {@code _SUCCESS}, and the output path as it
 * was (absent, or untouched when it existed), with no temporary sibling left beside it.
 */
@Tag("spark")
class PreprocessHostileInputTest {

  @TempDir Path dir;

  /** What a case writes and the arguments it runs with (the output is always {@code --output}). */
  private record Setup(List<String> args, Path output) {}

  /**
   * One row of the table.
   *
   * @param name what the input is
   * @param setup writes the input in the given directory and returns the arguments
   * @param exitCode the expected exit code
   * @param message a part of the expected one line
   */
  private record Case(String name, Function<Path, Setup> setup, int exitCode, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void spark() {
    SparkTestSession.get();
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "empty file",
            d -> inputAndOutput(d, bytes(d, "log.csv", new byte[0])),
            JobRunner.FAILED,
            "Cannot read input: the header line is empty"),
        new Case(
            "header only",
            d -> inputAndOutput(d, TestFiles.write(d, "log.csv", "user_id,item_id,timestamp")),
            JobRunner.FAILED,
            "Cannot preprocess: the input has no rows"),
        new Case(
            "garbage bytes",
            d -> inputAndOutput(d, bytes(d, "log.csv", garbage())),
            JobRunner.FAILED,
            "Cannot read input: column 'user_id' not found"),
        new Case(
            "one user with two events (default k-core)",
            d ->
                inputAndOutput(
                    d,
                    TestFiles.write(d, "log.csv", "user_id,item_id,timestamp", "u,a,1", "u,b,2")),
            JobRunner.FAILED,
            "Cannot preprocess: no event is left after the k-core filter"),
        new Case(
            "every row rejected",
            d ->
                inputAndOutput(
                    d, TestFiles.write(d, "log.csv", "user_id,item_id,timestamp", "u,,1", "v,,2")),
            JobRunner.FAILED,
            "Cannot preprocess: every row is rejected.missing-item (--item-col item_id"),
        new Case(
            "only blank lines",
            d ->
                inputAndOutput(
                    d, TestFiles.write(d, "log.csv", "user_id,item_id,timestamp", "\t\t", "  ")),
            JobRunner.FAILED,
            "Cannot preprocess: every row was rejected"),
        new Case(
            "millisecond times read as seconds",
            d -> inputAndOutput(d, millisecondLog(d)),
            JobRunner.FAILED,
            "Cannot preprocess: the latest time is +29696-07-26T23:13:20Z, after 2200-01-01T00:00:00Z;"
                + " milliseconds read as seconds? set --time-format (now epoch-seconds"),
        new Case(
            "output exists",
            d -> {
              Setup s = inputAndOutput(d, millisecondLog(d));
              TestFiles.write(s.output(), "keep.txt", "an earlier run's file");
              return s;
            },
            JobRunner.FAILED,
            "Cannot write output: it already exists; pass --overwrite"),
        new Case(
            "output is the input's directory",
            d -> {
              Path input = TestFiles.write(d, "logs/log.csv", "user_id,item_id,timestamp", "u,a,1");
              return new Setup(
                  List.of(
                      "--input",
                      input.toString(),
                      "--output",
                      input.getParent().toString(),
                      "--overwrite",
                      "true"),
                  input.getParent());
            },
            JobRunner.FAILED,
            "Cannot write output: it overlaps the input"),
        new Case(
            "output is the input file",
            d -> {
              Path input = TestFiles.write(d, "log.csv", "user_id,item_id,timestamp", "u,a,1");
              return new Setup(
                  List.of(
                      "--input",
                      input.toString(),
                      "--output",
                      input.toString(),
                      "--overwrite",
                      "true"),
                  input);
            },
            JobRunner.FAILED,
            "Cannot write output: it overlaps the input"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedInOneLineLeavingTheOutputAsItWas(Case c) throws IOException {
    Path caseDir = dir.resolve("case");
    Files.createDirectories(caseDir);
    Setup setup = c.setup().apply(caseDir);
    Refusals.assertRefused(
        PreprocessCommand.COMMAND, setup.args(), setup.output(), c.exitCode(), c.message());
  }

  private static Setup inputAndOutput(Path d, Path input) {
    Path output = d.resolve("out");
    return new Setup(List.of("--input", input.toString(), "--output", output.toString()), output);
  }

  /** Three users with ML-100K-like times in milliseconds, read with the default epoch-seconds. */
  private static Path millisecondLog(Path d) {
    List<String> lines = new ArrayList<>(List.of("user_id,item_id,timestamp"));
    for (String user : List.of("u", "v", "w")) {
      for (int i = 0; i < 6; i++) {
        lines.add(user + ",i" + i + "," + (874_965_758_000L + i * 60_000L));
      }
    }
    return TestFiles.write(d, "log.csv", lines.toArray(String[]::new));
  }

  private static byte[] garbage() {
    byte[] bytes = new byte[4096];
    new Random(11).nextBytes(bytes);
    return bytes;
  }

  private static Path bytes(Path d, String name, byte[] content) {
    try {
      return Files.write(d.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
