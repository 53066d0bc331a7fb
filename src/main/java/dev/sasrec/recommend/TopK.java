package dev.sasrec.recommend;

import java.util.PriorityQueue;

/** The K best-scored items of a score row, best first, skipping padding and excluded items. */
public final class TopK {

  private TopK() {}

  /**
   * @param scores one score per item index (index 0 = padding, never returned)
   * @param excludedSorted item indices to leave out, ascending
   * @return item indices, best first; ties go to the lower index
   */
  public static int[] of(float[] scores, int k, int[] excludedSorted) {
    PriorityQueue<Integer> worstFirst =
        new PriorityQueue<>(
            k + 1,
            (a, b) ->
                scores[a] != scores[b]
                    ? Float.compare(scores[a], scores[b])
                    : Integer.compare(b, a));
    int e = 0;
    for (int item = 1; item < scores.length; item++) {
      while (e < excludedSorted.length && excludedSorted[e] < item) {
        e++;
      }
      if (e < excludedSorted.length && excludedSorted[e] == item) {
        continue;
      }
      worstFirst.add(item);
      if (worstFirst.size() > k) {
        worstFirst.poll();
      }
    }
    int[] best = new int[worstFirst.size()];
    for (int i = best.length - 1; i >= 0; i--) {
      best[i] = worstFirst.poll();
    }
    return best;
  }
}
