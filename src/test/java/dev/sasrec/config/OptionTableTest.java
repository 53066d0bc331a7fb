package dev.sasrec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionTableTest {

  /** The keys of the test's options text and of the duration cases. */
  enum Key implements OptionKey {
    THINGS,
    NAME,
    G,
    N,
    B
  }

  private static final String TEXT =
      "# Header comment.\n\n# Number of things.\n# Second line.\nthings = 5\n\nname =\n";

  @Test
  void docCommentsBelongToTheKeyBelow() {
    OptionTable table = OptionTable.parse("t", TEXT);
    assertThat(table.get("things").doc()).isEqualTo("Number of things. Second line.");
    assertThat(table.get("things").defaultValue()).isEqualTo("5");
    assertThat(table.get("name").doc()).isEmpty();
    assertThat(table.all()).extracting(OptionTable.Option::key).containsExactly("things", "name");
  }

  @Test
  void commandLineOverridesDefaults() {
    CommandLine cli = new CommandLine(OptionTable.parse("t", TEXT));
    Options o = cli.parse(new String[] {"--things", "7", "--name=x"}).options();
    assertThat(o.integer(Key.THINGS)).isEqualTo(7);
    assertThat(o.string(Key.NAME)).isEqualTo("x");
  }

  @Test
  void unknownOptionMissingValueAndBadValueNameTheOption() {
    CommandLine cli = new CommandLine(OptionTable.parse("t", TEXT));
    assertThatThrownBy(() -> cli.parse(new String[] {"--colour", "red"}))
        .hasMessage("Cannot parse arguments: unknown option --colour (see --help)");
    assertThatThrownBy(() -> cli.parse(new String[] {"--things"}))
        .hasMessage("Cannot parse arguments: option --things needs a value");
    Options o = cli.parse(new String[] {"--things", "many"}).options();
    assertThatThrownBy(() -> o.integer(Key.THINGS))
        .hasMessage("Cannot parse option --things: not an integer ('many')");
  }

  @Test
  void durations() {
    Options o = new Options(java.util.Map.of("g", "30m", "n", "none", "b", "30 minutes"));
    assertThat(o.durationOrNone(Key.G)).contains(Duration.ofMinutes(30));
    assertThat(o.durationOrNone(Key.N)).isEmpty();
    assertThatThrownBy(() -> o.durationOrNone(Key.B))
        .hasMessageStartingWith("Cannot parse option --b: expected a duration");
  }

  @Test
  void everyBundledDefaultsFileLoadsWithDocumentedKeys() {
    for (String job : new String[] {"preprocess", "sample"}) {
      OptionTable table = OptionTable.load(job);
      assertThat(table.all()).isNotEmpty();
      assertThat(table.all()).allSatisfy(o -> assertThat(o.doc()).as(o.key()).isNotBlank());
    }
  }
}
