package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossAndRankingTest {

  private static EpochMetrics epoch(int epoch, double valLoss, double ndcgFull) {
    return new EpochMetrics(
        epoch, 1.0, 0.5, valLoss, 0.5, 0.5, 0.3, 0.1, ndcgFull, 100, 1, 1, 0.001);
  }

  @Test
  void saysWhenTheLossRoseWhileTheRankingImproved() {
    List<EpochMetrics> history =
        List.of(
            epoch(1, 1.10, 0.05), epoch(2, 1.05, 0.07), epoch(3, 1.12, 0.08), epoch(4, 1.23, 0.09));
    assertThat(LossAndRanking.note(history, 4))
        .contains(
            "The validation loss was lowest in epoch 2 (1.0500) and rose to 1.2300 by epoch 4,"
                + " while the validation NDCG@10 (full) kept improving to 0.0900: the loss against"
                + " one negative overfits sooner than the ranking, and the best epoch follows the"
                + " ranking.");
  }

  @Test
  void saysNothingWhenTheBestEpochHasTheLowestLoss() {
    List<EpochMetrics> falling = List.of(epoch(1, 1.10, 0.05), epoch(2, 1.00, 0.07));
    assertThat(LossAndRanking.note(falling, 2)).isEmpty();
    // A lower loss after the best epoch does not count: the note is about the way to the best.
    List<EpochMetrics> later = List.of(epoch(1, 1.10, 0.08), epoch(2, 1.00, 0.07));
    assertThat(LossAndRanking.note(later, 1)).isEmpty();
  }
}
