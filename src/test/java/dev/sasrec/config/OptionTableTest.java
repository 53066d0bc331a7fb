package dev.sasrec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
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
  void aRequirementIsDeclaredByItsDocumentationLine() {
    OptionTable table =
        OptionTable.parse(
            "t",
            "# In.\n# Required.\nin =\n# Out.\n# Required unless --dry.\nout =\n"
                + "# N.\n# Required with --dry.\nn =\n# Dry.\ndry = false\n"
                + "# Not required.\nother =\n");
    assertThat(table.get("in").requirement().kind()).isEqualTo(Requirement.Kind.ALWAYS);
    assertThat(table.get("out").requirement().condition()).isEqualTo("unless --dry");
    assertThat(table.get("n").requirement().condition()).isEqualTo("with --dry");
    assertThat(table.get("other").requirement().optional()).isTrue();
    assertThat(table.get("in").doc()).isEqualTo("In. Required.");
    assertThatThrownBy(() -> table.requireValues(Map.of("dry", "false")))
        .hasMessage("Cannot run: options --in and --out (unless --dry) are required");
    assertThatThrownBy(() -> table.requireValues(Map.of("dry", "true", "in", "x")))
        .hasMessage("Cannot run: option --n (with --dry) is required");
    table.requireValues(Map.of("dry", "true", "in", "x", "n", "3"));
    table.requireValues(Map.of("dry", "false", "in", "x", "out", "y", "n", " "));
  }

  @Test
  void aRequirementOnAnOptionThatIsNoSwitchIsRefused() {
    assertThatThrownBy(() -> OptionTable.parse("t", "# A.\n# Required unless --b.\na =\nb = 3\n"))
        .hasMessageContaining("a is required unless --b, which is not a true/false option");
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
