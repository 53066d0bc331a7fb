package dev.sasrec.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Layout checks for the loops that read ND4J arrays through their buffers. */
public final class RowMajor {

  private RowMajor() {}

  /** Whether {@code a}'s elements lie in row-major order from its offset, without gaps. */
  public static boolean withoutGaps(INDArray a) {
    long expected = 1;
    for (int d = a.rank() - 1; d >= 0; d--) {
      if (a.size(d) != 1 && a.stride(d) != expected) {
        return false;
      }
      expected *= a.size(d);
    }
    return true;
  }
}
