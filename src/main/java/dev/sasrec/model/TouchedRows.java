package dev.sasrec.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows of each vocabulary table ({@link ParamLayout.Kind#VOCABULARY}) that one training step
 * reads: the ids of its inputs and targets. Every other row of such a table gets no gradient from
 * the step, so a row-sparse optimizer may leave it, and its state, as they are.
 */
final class TouchedRows {

  private final Map<String, int[]> rows = new LinkedHashMap<>();

  /** Adds {@code ids} to the rows of table {@code key}. */
  TouchedRows add(String key, int[] ids) {
    int[] had = rows.get(key);
    if (had == null) {
      rows.put(key, ids);
    } else {
      int[] both = Arrays.copyOf(had, had.length + ids.length);
      System.arraycopy(ids, 0, both, had.length, ids.length);
      rows.put(key, both);
    }
    return this;
  }

  /** Each table's rows, sorted and distinct. */
  Map<String, int[]> sortedDistinct() {
    Map<String, int[]> out = new LinkedHashMap<>();
    rows.forEach((key, ids) -> out.put(key, sortedDistinct(ids)));
    return out;
  }

  static int[] sortedDistinct(int[] ids) {
    int[] sorted = ids.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[n++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, n);
  }
}
