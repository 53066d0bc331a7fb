package dev.sasrec.train.sparse;

import java.io.Serializable;

/**
 * A seeded pseudo-random permutation of [0, n): the position of each of an epoch's batches in the
 * epoch's order, computed per batch without a table (a 4-round Feistel network over the smallest
 * even power of two ≥ n, walking the cycle back into range). The same seed and n give the same
 * order, so a resumed run fits the same rounds.
 */
record BatchOrder(long n, long seed) implements Serializable {

  private static final int ROUNDS = 4;

  BatchOrder {
    if (n < 1) {
      throw new IllegalArgumentException("Cannot order batches: there are none (" + n + ")");
    }
  }

  /** The position of batch {@code index}. */
  long position(long index) {
    if (index < 0 || index >= n) {
      throw new IllegalArgumentException("Cannot order batch " + index + ": outside 0.." + (n - 1));
    }
    int half = Math.max(1, (64 - Long.numberOfLeadingZeros(Math.max(1, n - 1)) + 1) / 2);
    long x = index;
    do {
      x = feistel(x, half);
    } while (x >= n);
    return x;
  }

  private long feistel(long x, int half) {
    long mask = (1L << half) - 1;
    long left = (x >>> half) & mask;
    long right = x & mask;
    for (int r = 0; r < ROUNDS; r++) {
      long next = left ^ (mix(right, r) & mask);
      left = right;
      right = next;
    }
    return (left << half) | right;
  }

  private long mix(long value, int round) {
    long z = value * 0x9E3779B97F4A7C15L + seed + round * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
