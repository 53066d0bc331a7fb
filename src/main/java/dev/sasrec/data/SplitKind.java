package dev.sasrec.data;

/** How sequences are split into training, validation and test examples. */
public enum SplitKind {
  /** Per sequence: last item = test target, second-to-last = validation target. */
  LEAVE_ONE_OUT,
  /** A global cut-off time: the first event at or after it is the test target. */
  TEMPORAL
}
