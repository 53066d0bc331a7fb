package dev.sasrec.train.sparse;

import dev.sasrec.model.dl4j.LazyAdamUpdater;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a network's training state lies, split the way row-sparse averaging moves it: the dense
 * part (every parameter outside the row-sparse tables, and its updater state) and each table
 * updated by lazy Adam, with its parameter rows and its per-row state (m, v, step count). Read from
 * DL4J's updater blocks, so the driver's network and every worker's replica of it agree.
 */
final class StateLayout {

  /** A row-sparse table: its rows in the flat parameters and its lazy Adam state. */
  record Table(
      String key,
      long paramOffset,
      int rows,
      int width,
      long mOffset,
      long vOffset,
      long stepOffset) {}

  /** [start, end) of the flat parameters or the flat updater state. */
  record Range(long start, long end) {
    int length() {
      return Math.toIntExact(end - start);
    }
  }

  private final List<Range> denseParams = new ArrayList<>();
  private final List<Range> denseState = new ArrayList<>();
  private final List<Table> tables = new ArrayList<>();
  private final int denseParamCount;
  private final int denseStateCount;

  StateLayout(MultiLayerNetwork net) {
    for (UpdaterBlock block : blocks(net)) {
      if (block.getGradientUpdater() instanceof LazyAdamUpdater lazy) {
        if (block.getLayersAndVariablesInBlock().size() != 1) {
          throw new IllegalStateException(
              "Cannot lay out row-sparse state: a lazy Adam block holds "
                  + block.getLayersAndVariablesInBlock().size()
                  + " parameters");
        }
        long params = block.getParamOffsetEnd() - (long) block.getParamOffsetStart();
        int width = lazy.getConfig().getWidth();
        long state = block.getUpdaterViewOffsetStart();
        tables.add(
            new Table(
                lazy.getConfig().getTable(),
                block.getParamOffsetStart(),
                Math.toIntExact(params / width),
                width,
                state,
                state + params,
                state + 2 * params));
      } else {
        denseParams.add(new Range(block.getParamOffsetStart(), block.getParamOffsetEnd()));
        denseState.add(
            new Range(block.getUpdaterViewOffsetStart(), block.getUpdaterViewOffsetEnd()));
      }
    }
    this.denseParamCount = denseParams.stream().mapToInt(Range::length).sum();
    this.denseStateCount = denseState.stream().mapToInt(Range::length).sum();
  }

  static List<UpdaterBlock> blocks(MultiLayerNetwork net) {
    Updater updater = net.getUpdater();
    if (!(updater instanceof BaseMultiLayerUpdater<?> multi)) {
      throw new IllegalStateException(
          "Cannot lay out row-sparse state: unexpected DL4J updater " + updater);
    }
    return multi.getUpdaterBlocks();
  }

  List<Table> tables() {
    return tables;
  }

  /** The dense part and the given rows of each table, as they are in {@code net}. */
  RoundDelta read(
      MultiLayerNetwork net, Map<String, BitSet> rows, long resultId, int steps, double loss) {
    FloatBuffer params = floats(net.params());
    FloatBuffer state = floats(net.getUpdater().getStateViewArray());
    float[] dense = new float[denseParamCount];
    float[] denseUpdater = new float[denseStateCount];
    copyOut(params, denseParams, dense);
    copyOut(state, denseState, denseUpdater);
    List<TableRows> out = new ArrayList<>();
    for (Table t : tables) {
      BitSet set = rows.getOrDefault(t.key(), new BitSet());
      int[] ids = set.stream().toArray();
      TableRows table = new TableRows(t.key(), t.width(), ids);
      int w = t.width();
      for (int i = 0; i < ids.length; i++) {
        int at = Math.toIntExact((long) ids[i] * w);
        params.get(Math.toIntExact(t.paramOffset() + at), table.params, i * w, w);
        state.get(Math.toIntExact(t.mOffset() + at), table.m, i * w, w);
        state.get(Math.toIntExact(t.vOffset() + at), table.v, i * w, w);
        table.steps[i] = state.get(Math.toIntExact(t.stepOffset() + ids[i]));
      }
      out.add(table);
    }
    return RoundDelta.result(resultId, steps, loss, dense, denseUpdater, out);
  }

  /** Writes an averaged round into {@code net}: the dense part and the rows it carries. */
  void write(MultiLayerNetwork net, RoundDelta averaged) {
    FloatBuffer params = floats(net.params());
    FloatBuffer state = floats(net.getUpdater().getStateViewArray());
    copyIn(averaged.denseParams, denseParams, params);
    copyIn(averaged.denseState, denseState, state);
    for (Table t : tables) {
      TableRows rows = averaged.table(t.key());
      int w = t.width();
      for (int i = 0; i < rows.rows.length; i++) {
        int at = Math.toIntExact((long) rows.rows[i] * w);
        params.put(Math.toIntExact(t.paramOffset() + at), rows.params, i * w, w);
        state.put(Math.toIntExact(t.mOffset() + at), rows.m, i * w, w);
        state.put(Math.toIntExact(t.vOffset() + at), rows.v, i * w, w);
        state.put(Math.toIntExact(t.stepOffset() + rows.rows[i]), rows.steps[i]);
      }
    }
  }

  private static void copyOut(FloatBuffer from, List<Range> ranges, float[] into) {
    int at = 0;
    for (Range r : ranges) {
      from.get(Math.toIntExact(r.start()), into, at, r.length());
      at += r.length();
    }
  }

  private static void copyIn(float[] from, List<Range> ranges, FloatBuffer into) {
    int at = 0;
    for (Range r : ranges) {
      into.put(Math.toIntExact(r.start()), from, at, r.length());
      at += r.length();
    }
  }

  /** The elements of a flat float32 array from its first one. */
  static FloatBuffer floats(INDArray flat) {
    if (flat.dataType() != DataType.FLOAT
        || flat.ordering() != 'c'
        || !flat.isRowVectorOrScalar()) {
      throw new IllegalStateException(
          "Cannot average rows: training state must be a flat float32 array, got "
              + flat.dataType()
              + " "
              + flat.shapeInfoToString());
    }
    return flat.data().asNioFloat().position(Math.toIntExact(flat.offset())).slice();
  }
}
