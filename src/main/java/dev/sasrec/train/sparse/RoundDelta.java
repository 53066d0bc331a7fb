package dev.sasrec.train.sparse;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What one round of row-sparse parameter averaging moves. From a worker to the driver: its dense
 * parameters and their updater state, and the rows of each row-sparse table it changed in the
 * round, with their lazy Adam state. Summed over workers by Spark's aggregation ({@link #plus});
 * averaged on the driver ({@link #averaged}) it is what the driver writes into its network and
 * broadcasts to the workers for the next round. Rows nobody changed are in neither direction.
 *
 * <p>A plain class, not a record: it travels through Spark's Kryo serializer.
 */
final class RoundDelta implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The results summed here (each worker result has an id; an averaged round keeps them). */
  final long[] contributors;

  /** How many worker results are summed in the dense part. */
  final int workers;

  /** The most steps a summed worker took. */
  final int steps;

  /**
   * The workers that had no replica they could bring to the round's version (see {@link Replica}):
   * they did not train, and fit again from the full state.
   */
  final int[] needBase;

  /** The summed (averaged: mean) loss of each worker's last step. */
  final double loss;

  final float[] denseParams;
  final float[] denseState;
  final TableRows[] tables;

  private RoundDelta(
      long[] contributors,
      int workers,
      int steps,
      double loss,
      int[] needBase,
      float[] denseParams,
      float[] denseState,
      TableRows[] tables) {
    this.contributors = contributors;
    this.workers = workers;
    this.steps = steps;
    this.loss = loss;
    this.needBase = needBase;
    this.denseParams = denseParams;
    this.denseState = denseState;
    this.tables = tables;
  }

  /** One worker's round. */
  static RoundDelta result(
      long resultId,
      int steps,
      double loss,
      float[] denseParams,
      float[] denseState,
      List<TableRows> tables) {
    return new RoundDelta(
        new long[] {resultId},
        1,
        steps,
        loss,
        new int[0],
        denseParams,
        denseState,
        tables.toArray(new TableRows[0]));
  }

  /** Nothing: the start of an aggregation, or a worker with no batch in the round. */
  static RoundDelta none() {
    return new RoundDelta(new long[0], 0, 0, 0, new int[0], null, null, new TableRows[0]);
  }

  /** Worker {@code worker} could not reach the round's version without the full state. */
  static RoundDelta baseNeeded(int worker) {
    return new RoundDelta(new long[0], 0, 0, 0, new int[] {worker}, null, null, new TableRows[0]);
  }

  /** The same sums without the workers that asked for the full state. */
  RoundDelta withoutNeeds() {
    return new RoundDelta(
        contributors, workers, steps, loss, new int[0], denseParams, denseState, tables);
  }

  /** The sum of two aggregates. */
  RoundDelta plus(RoundDelta other) {
    int[] base = Arrays.copyOf(needBase, needBase.length + other.needBase.length);
    System.arraycopy(other.needBase, 0, base, needBase.length, other.needBase.length);
    Arrays.sort(base);
    if (other.workers == 0 || workers == 0) {
      RoundDelta some = workers == 0 ? other : this;
      return new RoundDelta(
          some.contributors,
          some.workers,
          some.steps,
          some.loss,
          base,
          some.denseParams,
          some.denseState,
          some.tables);
    }
    long[] ids = Arrays.copyOf(contributors, contributors.length + other.contributors.length);
    System.arraycopy(other.contributors, 0, ids, contributors.length, other.contributors.length);
    TableRows[] summed = new TableRows[tables.length];
    for (int t = 0; t < tables.length; t++) {
      summed[t] = tables[t].plus(other.tables[t]);
    }
    return new RoundDelta(
        ids,
        workers + other.workers,
        Math.max(steps, other.steps),
        loss + other.loss,
        base,
        sum(denseParams, other.denseParams),
        sum(denseState, other.denseState),
        summed);
  }

  /** The averages: the dense part over the workers, each row over the workers that changed it. */
  RoundDelta averaged() {
    if (workers == 0) {
      throw new IllegalStateException("Cannot average a round: no worker trained in it");
    }
    TableRows[] means = new TableRows[tables.length];
    for (int t = 0; t < tables.length; t++) {
      means[t] = tables[t].averaged();
    }
    return new RoundDelta(
        contributors,
        workers,
        steps,
        loss / workers,
        new int[0],
        scaled(denseParams, 1f / workers),
        scaled(denseState, 1f / workers),
        means);
  }

  /** The rows of table {@code key}. */
  TableRows table(String key) {
    for (TableRows t : tables) {
      if (t.key.equals(key)) {
        return t;
      }
    }
    throw new IllegalArgumentException("Cannot find the rows of table " + key + " in the round");
  }

  /** Whether the result {@code resultId} is among those averaged here. */
  boolean contains(long resultId) {
    for (long id : contributors) {
      if (id == resultId) {
        return true;
      }
    }
    return false;
  }

  /** Rows of every table. */
  long rows() {
    long n = 0;
    for (TableRows t : tables) {
      n += t.rows.length;
    }
    return n;
  }

  /** Bytes of the values it carries. */
  long bytes() {
    long n = denseParams == null ? 0 : 4L * (denseParams.length + denseState.length);
    for (TableRows t : tables) {
      n += t.bytes();
    }
    return n;
  }

  private static float[] sum(float[] a, float[] b) {
    float[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b[i];
    }
    return out;
  }

  private static float[] scaled(float[] a, float s) {
    float[] out = new float[a.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = a[i] * s;
    }
    return out;
  }
}
