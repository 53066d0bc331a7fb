package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopItemsTest {

  /** The definition: sort every allowed item by score descending, then index ascending. */
  private static int[] bySorting(float[] scores, int k, int[] excluded) {
    return IntStream.range(1, scores.length)
        .filter(i -> Arrays.binarySearch(excluded, i) < 0)
        .boxed()
        .sorted(
            Comparator.<Integer>comparingDouble(i -> -scores[i])
                .thenComparing(Comparator.naturalOrder()))
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  @Test
  void agreesWithAFullSortOnRandomRowsWithTiesAndExclusions() {
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(60);
      float[] scores = new float[n + 1];
      for (int i = 0; i <= n; i++) {
        scores[i] = random.nextInt(8); // few distinct values: many ties
      }
      int[] excluded = IntStream.rangeClosed(1, n).filter(i -> random.nextInt(4) == 0).toArray();
      int k = random.nextInt(12);
      assertThat(TopItems.of(scores, k, excluded))
          .as("trial %d", trial)
          .containsExactly(bySorting(scores, k, excluded));
    }
  }

  @Test
  void paddingAndExcludedItemsAreNeverReturned() {
    float[] scores = {100, 1, 5, 3, 4};
    assertThat(TopItems.of(scores, 3, new int[] {2})).containsExactly(4, 3, 1);
    assertThat(TopItems.of(scores, 10, new int[] {1, 2, 3, 4})).isEmpty();
    assertThat(TopItems.of(scores, 0, new int[0])).isEmpty();
  }
}
