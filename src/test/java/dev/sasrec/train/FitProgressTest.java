package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress lines' policy and content, fed the events Spark's listener bus would deliver. */
class FitProgressTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long ACCUMULATOR = 7;

  private final List<String> lines = new ArrayList<>();
  private long now;
  private final FitProgress progress = new FitProgress(3, lines::add, () -> now);

  private static FitSums steps(int n) {
    FitSums sums = FitSums.ZERO;
    for (int i = 0; i < n; i++) {
      sums = sums.plus(FitSums.step(64, 0.5, 100, 150, 200));
    }
    return sums;
  }

  @Test
  void theFirstStepIsReportedAtOnceThenAtMostEveryThirtySeconds() {
    progress.startEpoch(1, ACCUMULATOR, 1280);
    now = 4 * SECOND;
    progress.taskRunning(1, steps(1));
    progress.taskRunning(2, steps(1));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .isEqualTo(
            "epoch 1/3: 64/1,280 sequences (5%), train loss 0.5000 acc 0.7500 (running), 16 seq/s,"
                + " epoch left 1 min 16 s, run left 3 min 56 s");
    now = 20 * SECOND;
    progress.taskEnded(1, steps(5), true);
    assertThat(lines).as("16 s after the first line").hasSize(1);
    now = 34 * SECOND;
    progress.taskEnded(2, steps(5), true);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).startsWith("epoch 1/3: 640/1,280 sequences (50%)");
  }

  @Test
  void aHeartbeatAfterItsTasksEndAndAFailedAttemptDoNotCount() {
    progress.startEpoch(2, ACCUMULATOR, 1280);
    now = SECOND;
    progress.taskEnded(1, steps(5), true);
    progress.taskRunning(1, steps(2)); // late heartbeat of task 1: ignored
    progress.taskRunning(2, steps(3));
    progress.taskEnded(2, steps(4), false); // failed: its retry runs the steps again
    now = 40 * SECOND;
    progress.taskEnded(3, steps(5), true);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).startsWith("epoch 2/3: 640/1,280 sequences (50%)");
  }

  @Test
  void nothingIsReportedOutsideAFitOrBeforeTheFirstStep() {
    progress.taskEnded(1, steps(5), true);
    progress.startEpoch(1, ACCUMULATOR, 1280);
    progress.taskEnded(2, FitSums.ZERO, true);
    progress.taskEnded(3, null, true);
    progress.endEpoch();
    progress.taskRunning(4, steps(1));
    assertThat(lines).isEmpty();
  }

  @Test
  void theRunsTimeLeftUsesTheEpochsEndedSoFar() {
    progress.startEpoch(1, ACCUMULATOR, 640);
    now = 100 * SECOND; // epoch 1: fit, evaluation and checkpoint took 100 s
    progress.endEpoch();
    progress.startEpoch(2, ACCUMULATOR, 640);
    now = 110 * SECOND;
    progress.taskEnded(1, steps(5), true); // half the epoch in 10 s
    assertThat(lines.get(0)).endsWith("epoch left 10 s, run left 1 min 50 s");
  }

  @Test
  void durationsReadAsAPersonWouldSayThem() {
    assertThat(FitProgress.duration(42.4)).isEqualTo("42 s");
    assertThat(FitProgress.duration(185)).isEqualTo("3 min 05 s");
    assertThat(FitProgress.duration(7620)).isEqualTo("2 h 07 min");
    assertThat(FitProgress.duration(Double.NaN)).isEqualTo("-");
  }
}
