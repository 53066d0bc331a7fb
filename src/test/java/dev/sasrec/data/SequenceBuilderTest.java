package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceBuilderTest {

  private static final int MAX_LEN = 50;

  @Test
  void leaveOneOutCountsFollowFromTheLengthsAlone() {
    SplitPlanner planner = new SplitPlanner(SplitKind.LEAVE_ONE_OUT, Long.MAX_VALUE);
    // 5 of length 2: a training example each (input of 1). 2 of length 3: test and validation,
    // one training item left, so no training example. 1 of length 60: all three, every input
    // (59, 58 and 57 items) longer than 50.
    SequenceBuilder.ExampleCounts counts =
        SequenceBuilder.exampleCounts(Map.of(2, 5L, 3, 2L, 60, 1L), planner, MAX_LEN);
    assertThat(counts).isEqualTo(new SequenceBuilder.ExampleCounts(6, 3, 3, 8, 3));
  }

  @Test
  void aSplitThatReadsTimesCannotBeCountedFromLengths() {
    SplitPlanner temporal = new SplitPlanner(SplitKind.TEMPORAL, 1_000);
    assertThatThrownBy(() -> SequenceBuilder.exampleCounts(Map.of(3, 1L), temporal, MAX_LEN))
        .hasMessage("Cannot count examples from lengths: the split reads the events' times");
  }
}
