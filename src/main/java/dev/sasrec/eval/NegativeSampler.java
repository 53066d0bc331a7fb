package dev.sasrec.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Uniform negatives over items 1..N that the user has not interacted with. Each draw rejects items
 * of the (sorted) history and the excluded positives; after a bounded number of rejections any item
 * other than the positive is accepted, so a user who has seen nearly everything cannot stall a job.
 * The caller gives the random stream ({@link dev.sasrec.model.RandomStreams}).
 */
public final class NegativeSampler {

  /** Rejections before giving up on finding an unseen item. */
  static final int MAX_REJECTIONS = 1000;

  private final int numItems;

  public NegativeSampler(int numItems) {
    if (numItems < 2) {
      throw new IllegalArgumentException("Cannot sample negatives: need at least 2 items");
    }
    this.numItems = numItems;
  }

  /** One negative: not in {@code historySorted}, not in {@code positives}. */
  public int sample(SplittableRandom random, int[] historySorted, int[] positives) {
    for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
      int item = 1 + random.nextInt(numItems);
      if (Arrays.binarySearch(historySorted, item) < 0 && !contains(positives, item)) {
        return item;
      }
    }
    int item;
    do {
      item = 1 + random.nextInt(numItems);
    } while (positives.length > 0 && item == positives[positives.length - 1]);
    return item;
  }

  /** {@code count} distinct negatives (fewer if fewer items are unseen). */
  public int[] sampleDistinct(SplittableRandom random, int[] historySorted, int target, int count) {
    int unseen = numItems - historySorted.length - 1;
    int n = Math.max(0, Math.min(count, unseen));
    int[] out = new int[n];
    int[] positives = {target};
    java.util.Set<Integer> taken = new java.util.HashSet<>();
    int filled = 0;
    while (filled < n) {
      int item = sample(random, historySorted, positives);
      if (taken.add(item)) {
        out[filled++] = item;
      }
    }
    return out;
  }

  private static boolean contains(int[] values, int item) {
    for (int v : values) {
      if (v == item) {
        return true;
      }
    }
    return false;
  }
}
