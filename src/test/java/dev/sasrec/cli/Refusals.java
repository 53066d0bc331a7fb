package dev.sasrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The check of the hostile-input tables: a job refused as a scheduler would see it. */
final class Refusals {

  private Refusals() {}

  /**
   * Runs {@code command} with {@code args} and asserts its exit code, exactly one line on stderr
   * starting "Cannot" and containing {@code message} (no stack trace), no {@code _SUCCESS}, the
   * {@code output} path as it was and nothing new beside it.
   */
  static void assertRefused(
      JobRunner.Command command, List<String> args, Path output, int exitCode, String message) {
    List<String> before = listing(output);
    List<String> beside = listing(output.getParent());
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        command.execute(
            args.toArray(String[]::new),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String stderr = err.toString(StandardCharsets.UTF_8).strip();
    assertThat(code).as(stderr).isEqualTo(exitCode);
    assertThat(stderr.lines().toList()).as("one line, no stack trace").hasSize(1);
    assertThat(stderr).startsWith("Cannot").contains(message);
    assertThat(listing(output)).as("the output as it was").isEqualTo(before);
    assertThat(listing(output)).noneMatch(f -> f.endsWith("_SUCCESS"));
    assertThat(listing(output.getParent())).as("nothing left beside the output").isEqualTo(beside);
  }

  /** Every path under {@code root} (itself included), relative and sorted; empty when absent. */
  private static List<String> listing(Path root) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.map(p -> root.relativize(p).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
