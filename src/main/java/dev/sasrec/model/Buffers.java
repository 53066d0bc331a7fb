package dev.sasrec.model;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Heap copies of ND4J arrays for the element and row loops that the JIT vectorizes and ND4J would
 * run as several passes (a copy of a [3200, 512] float block costs ~0.2 ms). The arrays are kept
 * between calls, one per slot, and grown when a call needs more: a fresh multi-megabyte array would
 * cost its zeroing. One instance per model, used by one thread; a slot's contents are valid until
 * the next call that uses the slot. Each method keeps the ND4J array it reads or writes reachable
 * until it is done: a view of native memory through NIO does not, and a collected array's memory is
 * freed by ND4J's deallocator thread (see {@link Broadcast}).
 */
final class Buffers {

  private static final int SLOTS = 4;

  private final float[][] floats = new float[SLOTS][];
  private final double[][] doubles = new double[SLOTS][];

  /** Float slot {@code slot}, at least {@code length} long. */
  float[] floats(int slot, int length) {
    if (floats[slot] == null || floats[slot].length < length) {
      floats[slot] = new float[length];
    }
    return floats[slot];
  }

  /** Double slot {@code slot}, at least {@code length} long. */
  double[] doubles(int slot, int length) {
    if (doubles[slot] == null || doubles[slot].length < length) {
      doubles[slot] = new double[length];
    }
    return doubles[slot];
  }

  /** The elements of a float array {@code a} in float slot {@code slot}. */
  float[] readFloats(int slot, INDArray a) {
    int n = (int) a.length();
    float[] values = floats(slot, n);
    buffer(a, DataType.FLOAT).asNioFloat().position((int) a.offset()).get(values, 0, n);
    Reference.reachabilityFence(a);
    return values;
  }

  /** The elements of {@code a} (float or double) in double slot {@code slot}. */
  double[] readDoubles(int slot, INDArray a) {
    int n = (int) a.length();
    double[] values = doubles(slot, n);
    if (a.dataType() == DataType.FLOAT) {
      float[] f = readFloats(slot, a);
      for (int i = 0; i < n; i++) {
        values[i] = f[i];
      }
    } else {
      buffer(a, DataType.DOUBLE).asNioDouble().position((int) a.offset()).get(values, 0, n);
      Reference.reachabilityFence(a);
    }
    return values;
  }

  /** The first {@code into.length()} values → {@code into} (a float array). */
  static void write(float[] values, INDArray into) {
    buffer(into, DataType.FLOAT)
        .asNioFloat()
        .position((int) into.offset())
        .put(values, 0, (int) into.length());
    Reference.reachabilityFence(into);
  }

  /** The first {@code into.length()} values → {@code into} (float or double), via float slot 0. */
  void write(double[] values, INDArray into) {
    int n = (int) into.length();
    if (into.dataType() == DataType.FLOAT) {
      float[] f = floats(0, n);
      for (int i = 0; i < n; i++) {
        f[i] = (float) values[i];
      }
      write(f, into);
    } else {
      buffer(into, DataType.DOUBLE).asNioDouble().position((int) into.offset()).put(values, 0, n);
      Reference.reachabilityFence(into);
    }
  }

  /**
   * table[ids[r]] += scale · rows[r] for every r (repeated ids add up): ND4J's scatter ADD, in one
   * pass of row copies. ND4J's native scatter took about a tenth of a training step in the profile
   * (three scatters of 3,200 rows of 128 per step, ~3.6 ms each, docs/performance.md). {@code
   * table} row-major without gaps (a parameter's gradient view); {@code rows} [ids.length, d] of
   * the table's data type, copied first when not row-major. Single precision only: double goes to
   * ND4J's scatter.
   */
  static void addRows(INDArray table, int[] ids, INDArray given, double scale) {
    INDArray rows = RowMajor.withoutGaps(given) ? given : given.dup('c');
    int width = (int) table.size(1);
    long tableRows = table.size(0);
    if (rows.length() != (long) ids.length * width) {
      throw new IllegalArgumentException(
          "Cannot add rows: "
              + ids.length
              + " ids for rows of shape "
              + Arrays.toString(rows.shape())
              + " into a table of width "
              + width);
    }
    for (int id : ids) {
      if (id < 0 || id >= tableRows) {
        throw new IllegalArgumentException(
            "Cannot add rows: id " + id + " is outside the table's " + tableRows + " rows");
      }
    }
    if (table.dataType() != DataType.FLOAT) {
      // Double precision is for gradient checks, where speed does not matter: ND4J's own scatter.
      INDArray indices = Nd4j.createFromArray(ids);
      INDArray updates = rows.mul(scale);
      Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ADD, table, indices, updates, 1);
      Reference.reachabilityFence(indices);
      Reference.reachabilityFence(updates);
      return;
    }
    int tableAt = (int) table.offset();
    int rowsAt = (int) rows.offset();
    FloatBuffer t = buffer(table, DataType.FLOAT).asNioFloat();
    FloatBuffer r = buffer(rows, DataType.FLOAT).asNioFloat();
    float[] into = new float[width];
    float[] add = new float[width];
    float s = (float) scale;
    for (int i = 0; i < ids.length; i++) {
      int at = tableAt + ids[i] * width;
      t.get(at, into);
      r.get(rowsAt + i * width, add);
      for (int j = 0; j < width; j++) {
        into[j] += s * add[j];
      }
      t.put(at, into);
    }
    Reference.reachabilityFence(table);
    Reference.reachabilityFence(rows);
  }

  /** The buffer of {@code a}, whose elements must lie in row-major order from its offset. */
  private static DataBuffer buffer(INDArray a, DataType type) {
    if (a.dataType() != type || !RowMajor.withoutGaps(a)) {
      throw new IllegalArgumentException(
          "Cannot copy elements: need a row-major "
              + type
              + " array without gaps, got "
              + a.dataType()
              + " "
              + Arrays.toString(a.shape())
              + " strides "
              + Arrays.toString(a.stride()));
    }
    return a.data();
  }
}
