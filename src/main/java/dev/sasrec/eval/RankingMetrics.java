package dev.sasrec.eval;

/**
 * HR@K and NDCG@K of one target from its rank (0 = ranked first). The rank is the number of
 * candidates scored strictly higher than the target: ties count in the target's favour, as in
 * pmixer/SASRec.pytorch.
 */
public final class RankingMetrics {

  /** The cut-off of the reported metrics. */
  public static final int K = 10;

  private RankingMetrics() {}

  public static double hitRate(int rank) {
    return rank < K ? 1 : 0;
  }

  public static double ndcg(int rank) {
    return rank < K ? 1 / (Math.log(rank + 2) / Math.log(2)) : 0;
  }

  /** Candidates (indices of {@code scores}) scored strictly higher than {@code target}. */
  public static int rankAmong(float[] scores, int target, int[] candidates) {
    float t = scores[target];
    int rank = 0;
    for (int c : candidates) {
      if (scores[c] > t) {
        rank++;
      }
    }
    return rank;
  }

  /**
   * Full ranking: every item 1..N except the sorted {@code excluded} ones (the history; repeats
   * allowed), the target always included.
   *
   * <p>Counts every item above the target in one branch-free pass, then takes back the excluded
   * items above it: 0.35 ns per item against 3.1 for a merge with the excluded list in the same
   * pass (634,382 items; a full-ranking validation scores 20,000 rows over them).
   */
  public static int rankFull(float[] scores, int target, int[] excludedSorted) {
    float t = scores[target];
    int rank = 0;
    for (int item = 1; item < scores.length; item++) {
      rank += scores[item] > t ? 1 : 0;
    }
    int previous = 0;
    for (int item : excludedSorted) {
      if (item != previous && item > 0 && item != target && scores[item] > t) {
        rank--;
      }
      previous = item;
    }
    return rank;
  }
}
