package dev.sasrec.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void aStepsClosingLineSaysWhatItHandledAndItsTime() {
    List<String> lines = new ArrayList<>();
    Progress.Step step = new Progress.Step(lines::add, "k-core filter", System.nanoTime());
    step.done("%d rounds, %,d events removed, %,d left", 2, 1234, 56789);
    step.doneFiltering(3, 1000);
    assertThat(lines.get(0))
        .matches(
            "Preprocess: k-core filter: 2 rounds, 1,234 events removed, 56,789 left \\(.+ s\\)");
    assertThat(lines.get(1))
        .matches("Preprocess: k-core filter: 3 removed, 1,000 events left \\(.+ s\\)");
  }
}
