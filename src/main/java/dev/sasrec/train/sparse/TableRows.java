package dev.sasrec.train.sparse;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Some rows of one row-sparse table with their lazy Adam state: a worker's changed rows (each
 * counted once), their sums over several workers (with how many changed each row), or their
 * averages. Rows are sorted and distinct; values are laid out row by row. A plain class, not a
 * record: it travels through Spark's Kryo serializer, whose field serializer cannot set a record's
 * fields.
 */
final class TableRows implements Serializable {

  private static final long serialVersionUID = 1L;

  final String key;
  final int width;
  final int[] rows;
  final float[] params;
  final float[] m;
  final float[] v;
  final float[] steps;
  final int[] counts;

  TableRows(String key, int width, int[] rows) {
    this.key = key;
    this.width = width;
    this.rows = rows;
    this.params = new float[rows.length * width];
    this.m = new float[rows.length * width];
    this.v = new float[rows.length * width];
    this.steps = new float[rows.length];
    this.counts = new int[rows.length];
    Arrays.fill(counts, 1);
  }

  /** The union of two tables' rows; a row both hold is summed, with its counts. */
  TableRows plus(TableRows other) {
    if (!key.equals(other.key) || width != other.width) {
      throw new IllegalArgumentException(
          "Cannot add rows of " + other.key + " to rows of " + key + ": another table");
    }
    int[] union = new int[rows.length + other.rows.length];
    int n = 0;
    for (int i = 0, j = 0; i < rows.length || j < other.rows.length; ) {
      if (j == other.rows.length || (i < rows.length && rows[i] < other.rows[j])) {
        union[n++] = rows[i++];
      } else if (i == rows.length || other.rows[j] < rows[i]) {
        union[n++] = other.rows[j++];
      } else {
        union[n++] = rows[i++];
        j++;
      }
    }
    TableRows sum = new TableRows(key, width, Arrays.copyOf(union, n));
    Arrays.fill(sum.counts, 0);
    sum.add(this);
    sum.add(other);
    return sum;
  }

  /** Adds {@code part}, whose rows are all among these, into these. */
  private void add(TableRows part) {
    int at = 0;
    for (int i = 0; i < part.rows.length; i++) {
      while (rows[at] != part.rows[i]) {
        at++;
      }
      int to = at * width;
      int from = i * width;
      for (int j = 0; j < width; j++) {
        params[to + j] += part.params[from + j];
        m[to + j] += part.m[from + j];
        v[to + j] += part.v[from + j];
      }
      steps[at] += part.steps[i];
      counts[at] += part.counts[i];
    }
  }

  /** Each row's sums divided by how many workers changed it. */
  TableRows averaged() {
    TableRows mean = new TableRows(key, width, rows);
    for (int i = 0; i < rows.length; i++) {
      float scale = 1f / counts[i];
      for (int j = i * width; j < (i + 1) * width; j++) {
        mean.params[j] = params[j] * scale;
        mean.m[j] = m[j] * scale;
        mean.v[j] = v[j] * scale;
      }
      mean.steps[i] = steps[i] * scale;
    }
    return mean;
  }

  /** Bytes of the values it carries (ids, parameters, moments, step counts). */
  long bytes() {
    return 4L * (rows.length + params.length + m.length + v.length + steps.length);
  }
}
