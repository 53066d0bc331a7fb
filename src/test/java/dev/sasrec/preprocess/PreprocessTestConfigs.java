package dev.sasrec.preprocess;

import java.nio.file.Path;

/** The hand-checked fixture log and its configuration, for tests outside this package. */
public final class PreprocessTestConfigs {

  private PreprocessTestConfigs() {}

  /** Writes the fixture log into {@code dir} and returns its configuration plus {@code extra}. */
  public static PreprocessConfig fixture(Path dir, String output, String... extra) {
    Path input = PreprocessFixture.write(dir);
    return PreprocessFixture.config(input.toString(), output, extra);
  }
}
