package dev.sasrec.preprocess;

import dev.sasrec.TestFiles;
import dev.sasrec.config.CommandLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A hand-checked log: three users with 5, 3 and 2 events, a duplicate, a bad row, a lone event. */
final class PreprocessFixture {

  static final String[] LINES = {
    "user_id,item_id,timestamp",
    "u1,a,1",
    "u1,b,2",
    "u1,c,3",
    "u1,d,4",
    "u1,e,5",
    "u1,a,1",
    "u2,a,10",
    "u2,b,20",
    "u2,c,30",
    "u3,b,7",
    "u3,a,8",
    "u4,z,9",
    "u5,,9"
  };

  private PreprocessFixture() {}

  static Path write(Path dir) {
    return TestFiles.write(dir, "log.csv", LINES);
  }

  /** Options for the fixture: no k-core pruning, sequences of length 3. */
  static PreprocessConfig config(String input, String output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                input,
                "--output",
                output,
                "--min-item-count",
                "1",
                "--min-user-count",
                "1",
                "--max-len",
                "3"));
    args.addAll(List.of(extra));
    return PreprocessConfig.from(
        new CommandLine(PreprocessConfig.OPTIONS.load())
            .parse(args.toArray(String[]::new))
            .options());
  }
}
