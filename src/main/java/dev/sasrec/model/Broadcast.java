package dev.sasrec.model;

import java.lang.ref.Reference;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BroadcastOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A matrix [M, n] combined with a row vector [n] (the same values for every row) or a column vector
 * [M] (one value per row), as ND4J's {@code addiRowVector}, {@code muliColumnVector} and the like
 * compute it, except that the operands stay reachable until the native code has finished with them.
 *
 * <p>Why: ND4J 1.0.0-M2.1 runs those through a broadcast op that its executioner no longer
 * references once it has read the native addresses ({@code NativeOpExecutioner.exec(BroadcastOp)}
 * uses only the result after the native call). The op's dimension array, and a vector that only the
 * op held (a view made for the call), can then be collected by a garbage collection during the
 * broadcast; ND4J's deallocator thread deletes their native buffers while the broadcast reads them.
 * That was the crash of issue 26 ({@code SIGSEGV in sd::DataBuffer::primary()} under {@code
 * Linear.forward}) and, when the freed memory was reused instead, a silently different epoch.
 * {@code ConcurrentCollectionTest} reproduces it with a thread forcing collections;
 * docs/reliability.md.
 */
final class Broadcast {

  /** The dimension a row vector runs along: columns. */
  private static final int ALONG_COLUMNS = 1;

  /** The dimension a column vector runs along: rows. */
  private static final int ALONG_ROWS = 0;

  private Broadcast() {}

  /** m[i, j] += row[j], in place; returns m. */
  static INDArray addRow(INDArray m, INDArray row) {
    return run(new BroadcastAddOp(m, separate(m, row), m, ALONG_COLUMNS));
  }

  /** m[i, j] *= column[i], in place; returns m. */
  static INDArray mulColumn(INDArray m, INDArray column) {
    return run(new BroadcastMulOp(m, separate(m, column), m, ALONG_ROWS));
  }

  /** m[i, j] · column[i], a new array. */
  static INDArray timesColumn(INDArray m, INDArray column) {
    return run(new BroadcastMulOp(m, column, m.ulike(), ALONG_ROWS));
  }

  /** m[i, j] -= column[i], in place; returns m. */
  static INDArray subColumn(INDArray m, INDArray column) {
    return run(new BroadcastSubOp(m, separate(m, column), m, ALONG_ROWS));
  }

  /** m[i, j] /= column[i], in place; returns m. */
  static INDArray divColumn(INDArray m, INDArray column) {
    return run(new BroadcastDivOp(m, separate(m, column), m, ALONG_ROWS));
  }

  /**
   * The vector, copied when it shares m's buffer (an in-place op would overwrite it as it reads).
   */
  private static INDArray separate(INDArray m, INDArray vector) {
    return vector.data() == m.data() ? vector.dup() : vector;
  }

  private static INDArray run(BroadcastOp op) {
    try {
      return Nd4j.getExecutioner().exec(op);
    } finally {
      // The op holds x, y, z and its dimension array: all reachable until the call has returned.
      Reference.reachabilityFence(op);
    }
  }
}
