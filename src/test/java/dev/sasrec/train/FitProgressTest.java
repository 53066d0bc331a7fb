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
                + " time left: estimating after the first rounds");
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
    progress.startEpoch(1, ACCUMULATOR, 1280);
    now = 100 * SECOND; // epoch 1: fit, evaluation and checkpoint took 100 s
    progress.endEpoch();
    progress.startEpoch(2, ACCUMULATOR, 1280);
    now = 104 * SECOND;
    progress.taskEnded(1, steps(5), true); // the first round: 320 sequences
    progress.roundEnded();
    now = 110 * SECOND;
    progress.taskEnded(2, steps(5), true); // the second: 320 more in 6 s
    progress.roundEnded();
    now = 135 * SECOND; // 30 s after the first line
    progress.taskEnded(3, steps(5), true);
    // 960 done, 320 left at the second round's rate (320 in 6 s): 6 s; then one more epoch.
    assertThat(lines.get(1)).endsWith("epoch left 6.0 s, run left 1 min 46 s");
  }

  @Test
  void estimatesWaitForTheRoundsAfterTheFirstAndUseTheirRate() {
    progress.startEpoch(1, ACCUMULATOR, 6400);
    progress.roundEnded(); // the master's counting job: no step done, not a round
    now = 30 * SECOND; // a slow first round: JIT warm-up, the workers' first copy
    progress.taskEnded(1, steps(5), true);
    progress.taskEnded(2, steps(5), true);
    progress.roundEnded();
    assertThat(lines.get(0)).endsWith("10.7 seq/s, time left: estimating after the first rounds");
    now = 32 * SECOND; // then 640 sequences every 2 s
    progress.taskEnded(3, steps(5), true);
    progress.taskEnded(4, steps(5), true);
    progress.roundEnded();
    now = 64 * SECOND;
    progress.taskEnded(5, steps(10), true);
    // 1,920 of 6,400 done; 4,480 left at the second round's 320 seq/s: 14 s (at the epoch's
    // 30 seq/s so far it would say 2 min 29 s). The run: this epoch's 64 + 14 s for each of two.
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .isEqualTo(
            "epoch 1/3: 1,920/6,400 sequences (30%), train loss 0.5000 acc 0.7500 (running),"
                + " 30 seq/s, epoch left 14 s, run left 2 min 50 s");
  }
}
