package dev.sasrec.model;

/**
 * The K best-scored items of a score row, best first, skipping padding (index 0) and excluded
 * items; ties go to the lower index. A bounded min-heap over primitive arrays: one comparison per
 * item that cannot enter, no boxing and no sort of the row.
 */
public final class TopItems {

  private TopItems() {}

  /**
   * @param scores one score per item index (index 0 = padding, never returned)
   * @param excludedSorted item indices to leave out, ascending
   * @return up to k item indices, best first
   */
  public static int[] of(float[] scores, int k, int[] excludedSorted) {
    int[] heap = new int[Math.max(k, 0)]; // heap[0]: the worst item kept
    int size = 0;
    int e = 0;
    for (int item = 1; item < scores.length && k > 0; item++) {
      while (e < excludedSorted.length && excludedSorted[e] < item) {
        e++;
      }
      if (e < excludedSorted.length && excludedSorted[e] == item) {
        continue;
      }
      if (size < k) {
        heap[size] = item;
        siftUp(heap, size++, scores);
      } else if (scores[item] > scores[heap[0]]) {
        // Items come in ascending order: an equal score would lose the tie to the kept item.
        heap[0] = item;
        siftDown(heap, size, scores);
      }
    }
    int[] best = new int[size];
    for (int i = size - 1; i >= 0; i--) {
      best[i] = heap[0];
      heap[0] = heap[--size];
      siftDown(heap, size, scores);
    }
    return best;
  }

  /** Whether item a ranks below item b: a lower score, or the same score and a higher index. */
  private static boolean worse(int a, int b, float[] scores) {
    return scores[a] < scores[b] || (scores[a] == scores[b] && a > b);
  }

  private static void siftUp(int[] heap, int i, float[] scores) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!worse(heap[i], heap[parent], scores)) {
        return;
      }
      swap(heap, i, parent);
      i = parent;
    }
  }

  private static void siftDown(int[] heap, int size, float[] scores) {
    int i = 0;
    while (true) {
      int worst = i;
      for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
        if (worse(heap[child], heap[worst], scores)) {
          worst = child;
        }
      }
      if (worst == i) {
        return;
      }
      swap(heap, i, worst);
      i = worst;
    }
  }

  private static void swap(int[] heap, int i, int j) {
    int t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
  }
}
