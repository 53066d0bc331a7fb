package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.data.SplitPlanner.Example;
import dev.sasrec.io.Split;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SplitPlannerTest {

  private static final SplitPlanner LOO = new SplitPlanner(SplitKind.LEAVE_ONE_OUT, 0);

  private static long[] times(int n) {
    return LongStream.range(0, n).map(i -> 100 * (i + 1)).toArray();
  }

  private static String show(List<Example> examples) {
    StringBuilder s = new StringBuilder();
    for (Example e : examples) {
      s.append(e.split().dirName())
          .append(java.util.Arrays.toString(e.input()))
          .append("->")
          .append(e.target())
          .append(' ');
    }
    return s.toString().trim();
  }

  @Test
  void leaveOneOutWithOneItemGivesNothing() {
    assertThat(LOO.plan(new int[] {4}, times(1))).isEmpty();
  }

  @Test
  void leaveOneOutWithTwoItemsIsTrainingOnly() {
    assertThat(show(LOO.plan(new int[] {4, 5}, times(2)))).isEqualTo("train[4]->5");
  }

  @Test
  void leaveOneOutWithThreeItemsHasNoTrainingPair() {
    assertThat(show(LOO.plan(new int[] {4, 5, 6}, times(3))))
        .isEqualTo("test[4, 5]->6 validation[4]->5");
  }

  @Test
  void leaveOneOutWithManyItems() {
    assertThat(show(LOO.plan(new int[] {1, 2, 3, 4, 5, 6}, times(6))))
        .isEqualTo("train[1, 2, 3]->4 test[1, 2, 3, 4, 5]->6 validation[1, 2, 3, 4]->5");
  }

  @Test
  void temporalCutsAtTheFirstEventAtOrAfterTheCutoff() {
    SplitPlanner temporal = new SplitPlanner(SplitKind.TEMPORAL, 400);
    // times 100..600: three events before 400, so the event at 400 is the test target.
    assertThat(show(temporal.plan(new int[] {1, 2, 3, 4, 5, 6}, times(6))))
        .isEqualTo("train[1]->2 test[1, 2, 3]->4 validation[1, 2]->3");
  }

  @Test
  void temporalSequenceEntirelyAfterTheCutoffIsUnused() {
    SplitPlanner temporal = new SplitPlanner(SplitKind.TEMPORAL, 50);
    assertThat(temporal.plan(new int[] {1, 2, 3}, times(3))).isEmpty();
  }

  @Test
  void temporalSequenceEntirelyBeforeTheCutoffHasNoTest() {
    SplitPlanner temporal = new SplitPlanner(SplitKind.TEMPORAL, 10_000);
    assertThat(show(temporal.plan(new int[] {1, 2, 3}, times(3))))
        .isEqualTo("train[1]->2 validation[1, 2]->3");
  }

  @Test
  void mismatchedLengthsAreRefused() {
    assertThatThrownBy(() -> LOO.plan(new int[] {1, 2}, times(3)))
        .hasMessageContaining("Cannot split sequence");
  }

  @Test
  void splitNamesAreTheDirectoryNames() {
    assertThat(Split.VALIDATION.dirName()).isEqualTo("validation");
  }
}
