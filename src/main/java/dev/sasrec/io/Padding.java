package dev.sasrec.io;

import java.util.Arrays;

/** Left padding with 0 (the padding index) and truncation to the most recent items. */
public final class Padding {

  public static final int PAD = 0;

  private Padding() {}

  /** The last {@code length} items of {@code items}, left-padded with {@link #PAD}. */
  public static int[] leftPad(int[] items, int length) {
    int[] out = new int[length];
    int take = Math.min(items.length, length);
    System.arraycopy(items, items.length - take, out, length - take, take);
    return out;
  }

  /** Sorted distinct items. */
  public static int[] sortedDistinct(int[] items) {
    return Arrays.stream(items).distinct().sorted().toArray();
  }
}
