package dev.sasrec.data;

import dev.sasrec.io.Split;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one time-ordered sequence into its training, validation and test examples. An example is an
 * input prefix and the target that follows it.
 *
 * <p>Leave-one-out (n items): test = (items[0..n-2] → items[n-1]), validation = (items[0..n-3] →
 * items[n-2]), training part items[0..n-3]; a sequence of fewer than 3 items is kept for training
 * only. Temporal with cut-off T (k = events before T): test = (items[0..k-1] → items[k]) when 1 ≤ k
 * &lt; n; validation = (items[0..k-2] → items[k-1]) when k ≥ 2; training part = items before the
 * validation target; events after the test target are not used. A training part of m ≥ 2 items
 * gives one training example (items[0..m-2] → items[m-1]); the trainer reads every position's next
 * item from {@code targets}.
 */
public final class SplitPlanner implements Serializable {

  /** An input prefix and its target item. */
  public record Example(Split split, int[] input, int target) {
    public Example {
      if (input.length == 0) {
        throw new IllegalArgumentException("Cannot build example: empty input");
      }
    }
  }

  /** Leave-one-out needs a training item, a validation target and a test target. */
  public static final int LEAVE_ONE_OUT_MIN_LENGTH = 3;

  private final SplitKind kind;
  private final long cutoffMillis;

  /** {@code cutoffMillis} is used by the temporal split only. */
  public SplitPlanner(SplitKind kind, long cutoffMillis) {
    this.kind = kind;
    this.cutoffMillis = cutoffMillis;
  }

  /** Whether the examples depend on the events' times (temporal), not on the length alone. */
  public boolean readsTimes() {
    return kind == SplitKind.TEMPORAL;
  }

  public List<Example> plan(int[] items, long[] times) {
    if (items.length != times.length) {
      throw new IllegalArgumentException(
          "Cannot split sequence: " + items.length + " items but " + times.length + " times");
    }
    int n = items.length;
    List<Example> examples = new ArrayList<>(3);
    int trainLength;
    if (kind == SplitKind.LEAVE_ONE_OUT) {
      if (n >= LEAVE_ONE_OUT_MIN_LENGTH) {
        examples.add(example(Split.TEST, items, n - 1));
        examples.add(example(Split.VALIDATION, items, n - 2));
        trainLength = n - 2;
      } else {
        trainLength = n;
      }
    } else {
      int k = 0;
      while (k < n && times[k] < cutoffMillis) {
        k++;
      }
      if (k >= 1 && k < n) {
        examples.add(example(Split.TEST, items, k));
      }
      if (k >= 2) {
        examples.add(example(Split.VALIDATION, items, k - 1));
        trainLength = k - 1;
      } else {
        trainLength = k;
      }
    }
    if (trainLength >= 2) {
      examples.add(0, example(Split.TRAIN, items, trainLength - 1));
    }
    return examples;
  }

  /** The example whose target is {@code items[targetIndex]} and whose input is all before it. */
  private static Example example(Split split, int[] items, int targetIndex) {
    return new Example(split, Arrays.copyOf(items, targetIndex), items[targetIndex]);
  }
}
