package dev.sasrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  // Index 0 is padding; items 1..6.
  private static final float[] SCORES = {99f, 0.9f, 0.1f, 0.5f, 0.7f, 0.5f, 0.2f};

  @Test
  void fullRankingExcludesTheHistoryButNeverTheTarget() {
    // Target 3 (0.5). Higher: item 1 (0.9, but in the history), item 4 (0.7). Item 5 ties: not
    // counted. Padding (99) is never a candidate.
    assertThat(RankingMetrics.rankFull(SCORES, 3, new int[] {1})).isEqualTo(1);
    assertThat(RankingMetrics.rankFull(SCORES, 3, new int[] {})).isEqualTo(2);
    assertThat(RankingMetrics.rankFull(SCORES, 3, new int[] {1, 3, 4})).isEqualTo(0);
    // A repeated history item is left out once.
    assertThat(RankingMetrics.rankFull(SCORES, 3, new int[] {1, 1, 4})).isEqualTo(0);
  }

  @Test
  void fullRankingMatchesCountingOverTheItemsLeftIn() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    for (int trial = 0; trial < 200; trial++) {
      float[] scores = new float[1 + random.nextInt(1, 300)];
      for (int i = 0; i < scores.length; i++) {
        // Few distinct values: ties are frequent.
        scores[i] = random.nextInt(20);
      }
      int target = random.nextInt(1, scores.length);
      int[] excluded = random.ints(random.nextInt(0, 30), 0, scores.length).sorted().toArray();
      java.util.Set<Integer> out = new java.util.HashSet<>();
      for (int e : excluded) {
        out.add(e);
      }
      int expected = 0;
      for (int item = 1; item < scores.length; item++) {
        boolean left = item == target || !out.contains(item);
        if (left && scores[item] > scores[target]) {
          expected++;
        }
      }
      assertThat(RankingMetrics.rankFull(scores, target, excluded))
          .as("trial %d", trial)
          .isEqualTo(expected);
    }
  }

  @Test
  void sampledRankingCountsHigherCandidatesOnly() {
    assertThat(RankingMetrics.rankAmong(SCORES, 3, new int[] {2, 6})).isZero();
    assertThat(RankingMetrics.rankAmong(SCORES, 3, new int[] {1, 2, 4})).isEqualTo(2);
  }

  @Test
  void hitRateAndNdcgAtTen() {
    assertThat(RankingMetrics.hitRate(0)).isEqualTo(1);
    assertThat(RankingMetrics.hitRate(9)).isEqualTo(1);
    assertThat(RankingMetrics.hitRate(10)).isZero();
    assertThat(RankingMetrics.ndcg(0)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcg(1)).isCloseTo(1 / (Math.log(3) / Math.log(2)), within(1e-12));
    assertThat(RankingMetrics.ndcg(1)).isCloseTo(0.63093, within(1e-5));
    assertThat(RankingMetrics.ndcg(9)).isCloseTo(0.28906, within(1e-5));
    assertThat(RankingMetrics.ndcg(10)).isZero();
  }
}
