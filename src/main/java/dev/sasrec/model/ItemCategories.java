package dev.sasrec.model;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The category of every item row, for CAFE: {@code ofItem[i]} is item i's category in 1..count,
 * {@code ofItem[0] = 0} (padding). {@link #NONE} for models without categories.
 */
public record ItemCategories(int[] ofItem, int count) implements Serializable {

  public static final ItemCategories NONE = new ItemCategories(new int[0], 0);

  public ItemCategories {
    if (count < 0) {
      throw new IllegalArgumentException(
          "Cannot use item categories: negative category count (" + count + ")");
    }
    if (count > 0 && (ofItem.length == 0 || ofItem[0] != 0)) {
      throw new IllegalArgumentException(
          "Cannot use item categories: row 0 is padding and must have category 0");
    }
    for (int i = 1; i < ofItem.length; i++) {
      if (ofItem[i] < 1 || ofItem[i] > count) {
        throw new IllegalArgumentException(
            "Cannot use item categories: item "
                + i
                + " has category "
                + ofItem[i]
                + ", outside 1.."
                + count);
      }
    }
  }

  public boolean present() {
    return count > 0;
  }

  /** A model input row: the item ids, then (with categories, for CAFE) each item's category. */
  public float[] features(int[] items) {
    int length = items.length;
    float[] row = new float[present() ? 2 * length : length];
    for (int t = 0; t < length; t++) {
      row[t] = items[t];
      if (present()) {
        row[length + t] = of(items[t]);
      }
    }
    return row;
  }

  /** The category of item {@code item} (0 for padding). */
  public int of(int item) {
    return ofItem[item];
  }

  /**
   * A uniform category other than {@code positive} (with a single category there is no other: that
   * one is returned).
   */
  public int negative(SplittableRandom random, int positive) {
    if (count == 1) {
      return 1;
    }
    int drawn = 1 + random.nextInt(count - 1);
    return drawn >= positive ? drawn + 1 : drawn;
  }
}
