package dev.sasrec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionTableTest {

  private static final Param<String> IN = Param.uri("in").required().doc("In.");
  private static final Param<String> OUT = Param.uri("out").requiredUnless("dry").doc("Out.");
  private static final Param<Integer> N = Param.integer("n").atLeast(1).requiredWith("dry");
  private static final Param<Boolean> DRY = Param.bool("dry", false).doc("Dry.");
  private static final Param<Optional<Duration>> GAP = Param.durationOrNone("gap", "none");

  private static final OptionTable TABLE =
      new OptionSet("t", "", List.of(IN, OUT, N, DRY, GAP)).load();

  private static Options values(Map<String, String> given) {
    Map<String, String> all = new java.util.HashMap<>(TABLE.defaults());
    all.putAll(given);
    return new Options(all);
  }

  @Test
  void aRequirementIsDeclaredWithTheOptionAndCheckedAllAtOnce() {
    assertThat(IN.requirement().kind()).isEqualTo(Requirement.Kind.ALWAYS);
    assertThat(OUT.requirement().sentence()).isEqualTo("Required unless --dry.");
    assertThat(N.requirement().condition()).isEqualTo("with --dry");
    assertThat(GAP.requirement().optional()).isTrue();
    assertThatThrownBy(() -> TABLE.requireValues(Map.of("dry", "false")))
        .hasMessage("Cannot run: options --in and --out (unless --dry) are required");
    assertThatThrownBy(() -> TABLE.requireValues(Map.of("dry", "true", "in", "x")))
        .hasMessage("Cannot run: option --n (with --dry) is required");
    TABLE.requireValues(Map.of("dry", "true", "in", "x", "n", "3"));
    TABLE.requireValues(Map.of("dry", "false", "in", "x", "out", "y", "n", " "));
  }

  @Test
  void getParsesChecksAndNamesTheOption() {
    assertThat(N.get(values(Map.of("n", "4")))).isEqualTo(4);
    assertThatThrownBy(() -> N.get(values(Map.of("n", "0"))))
        .hasMessage("Cannot parse option --n: must be at least 1 ('0')");
    assertThatThrownBy(() -> N.get(values(Map.of("n", "x"))))
        .hasMessage("Cannot parse option --n: not an integer ('x')");
    assertThatThrownBy(() -> N.get(values(Map.of("dry", "true"))))
        .hasMessage("Cannot run: option --n is required");
    assertThatThrownBy(() -> IN.get(values(Map.of())))
        .hasMessage("Cannot run: option --in is required");
  }

  @Test
  void aMappedValueIsRefusedWithTheMappingsReason() {
    Param<Integer> even =
        Param.text("even", "2")
            .map(
                t -> {
                  int v = Integer.parseInt(t);
                  if (v % 2 != 0) {
                    throw new IllegalArgumentException("must be even");
                  }
                  return v;
                });
    assertThat(even.get(new Options(Map.of("even", "6")))).isEqualTo(6);
    assertThatThrownBy(() -> even.get(new Options(Map.of("even", "3"))))
        .hasMessage("Cannot parse option --even: must be even ('3')");
  }

  @Test
  void durations() {
    assertThat(GAP.get(values(Map.of("gap", "30m")))).contains(Duration.ofMinutes(30));
    assertThat(GAP.get(values(Map.of()))).isEmpty();
    assertThatThrownBy(() -> GAP.get(values(Map.of("gap", "30 minutes"))))
        .hasMessageStartingWith("Cannot parse option --gap: expected a duration");
  }

  @Test
  void aKeyIsLowerCaseWordsJoinedByDashes() {
    assertThatThrownBy(() -> Param.bool("Dry_Run", false))
        .hasMessageStartingWith("Cannot declare option: a key is lower case words");
    assertThat(Param.bool("dry-run", false).name()).isEqualTo("DRY_RUN");
  }
}
