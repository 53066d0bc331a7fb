package dev.sasrec.train;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the validation loss rose while the ranking kept improving: the loss (against one sampled
 * negative) overfits sooner than the ranking of the held-out item does, so a user who stops at the
 * lowest validation loss gives up ranking quality. The best epoch follows the ranking.
 */
final class LossAndRanking {

  private LossAndRanking() {}

  /**
   * A sentence for results.md when the lowest validation loss came before {@code bestEpoch} and the
   * loss was higher by then; empty otherwise.
   */
  static Optional<String> note(List<EpochMetrics> history, int bestEpoch) {
    EpochMetrics lowest = null;
    EpochMetrics best = null;
    for (EpochMetrics m : history) {
      if (m.epoch() <= bestEpoch
          && Double.isFinite(m.valLoss())
          && (lowest == null || m.valLoss() < lowest.valLoss())) {
        lowest = m;
      }
      if (m.epoch() == bestEpoch) {
        best = m;
      }
    }
    if (lowest == null || best == null || lowest.epoch() == bestEpoch) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "The validation loss was lowest in epoch %d (%.4f) and rose to %.4f by epoch %d,"
                + " while the validation NDCG@10 (full) kept improving to %.4f: the loss against"
                + " one negative overfits sooner than the ranking, and the best epoch follows the"
                + " ranking.",
            lowest.epoch(),
            lowest.valLoss(),
            best.valLoss(),
            bestEpoch,
            best.valNdcg10Full()));
  }
}
