package dev.sasrec.model;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies between contiguous ND4J arrays and Java arrays, for the element loops that the JIT
 * vectorizes and ND4J would run as several passes. A copy of a [3200, 512] float block costs ~0.2
 * ms.
 */
final class Buffers {

  private Buffers() {}

  static double[] read(INDArray a) {
    double[] values = new double[(int) a.length()];
    buffer(a, DataType.DOUBLE).asNioDouble().position((int) a.offset()).get(values);
    return values;
  }

  /** The first {@code into.length()} values → {@code into}. */
  static void write(float[] values, INDArray into) {
    buffer(into, DataType.FLOAT)
        .asNioFloat()
        .position((int) into.offset())
        .put(values, 0, (int) into.length());
  }

  static void write(double[] values, INDArray into) {
    buffer(into, DataType.DOUBLE)
        .asNioDouble()
        .position((int) into.offset())
        .put(values, 0, (int) into.length());
  }

  /**
   * Float arrays kept between calls, one per slot, grown when a call needs more: the element loops
   * run on them without allocating (and zeroing) multi-megabyte arrays each time. Not thread-safe;
   * an array's contents are valid until the next call that uses its slot.
   */
  static final class Scratch {
    private final float[][] slots;

    Scratch(int slots) {
      this.slots = new float[slots][];
    }

    /** Slot {@code slot}, at least {@code length} long. */
    float[] floats(int slot, int length) {
      if (slots[slot] == null || slots[slot].length < length) {
        slots[slot] = new float[length];
      }
      return slots[slot];
    }

    /** The elements of {@code a} in slot {@code slot}. */
    float[] read(int slot, INDArray a) {
      float[] values = floats(slot, (int) a.length());
      buffer(a, DataType.FLOAT)
          .asNioFloat()
          .position((int) a.offset())
          .get(values, 0, (int) a.length());
      return values;
    }
  }

  private static boolean rowMajorWithoutGaps(INDArray a) {
    long expected = 1;
    for (int d = a.rank() - 1; d >= 0; d--) {
      if (a.size(d) != 1 && a.stride(d) != expected) {
        return false;
      }
      expected *= a.size(d);
    }
    return true;
  }

  /** The buffer of {@code a}, whose elements must lie in row-major order from its offset. */
  private static DataBuffer buffer(INDArray a, DataType type) {
    if (a.dataType() != type || !rowMajorWithoutGaps(a)) {
      throw new IllegalArgumentException(
          "Cannot copy elements: need a row-major "
              + type
              + " array without gaps, got "
              + a.dataType()
              + " "
              + a.ordering()
              + " "
              + java.util.Arrays.toString(a.stride()));
    }
    return a.data();
  }
}
