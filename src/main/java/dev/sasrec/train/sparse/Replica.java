package dev.sasrec.train.sparse;

import dev.sasrec.model.dl4j.LazyAdamUpdater;
import dev.sasrec.model.dl4j.SASRecLayerImpl;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A worker's copy of the network, kept on its executor between rounds (in {@link ReplicaPool}) so
 * that a round needs only what changed since the last: after a round the replica differs from the
 * driver's averaged state only in the dense part and in rows it changed itself, which are among the
 * rows the next round's broadcast carries. One thread at a time.
 */
final class Replica {

  private final MultiLayerNetwork net;
  private final StateLayout layout;
  private final Set<String> rowSparse = new HashSet<>();
  private final INDArray flatParams;
  private final INDArray flatGradients;

  /** The driver's version this replica holds, apart from its own changes of {@link #result}. */
  private long version;

  /** The id of the result of the round trained since {@link #version}, 0 when there was none. */
  private long result;

  private Replica(MultiLayerNetwork net, long version) {
    this.net = net;
    this.layout = new StateLayout(net);
    this.version = version;
    layout.tables().forEach(t -> rowSparse.add(t.key()));
    this.flatParams = net.params().reshape(net.params().length());
    this.flatGradients = net.getFlattenedGradients().reshape(net.params().length());
  }

  /** A replica of {@code base}, with arrays of its own. */
  static Replica of(FullState base) {
    MultiLayerNetwork net =
        new MultiLayerNetwork(MultiLayerConfiguration.fromJson(base.configuration));
    net.init(base.params.dup(), false);
    net.initGradientsView();
    // The updater over a copy of the state as it is: DL4J's own would first allocate, zero and
    // initialize a state array of its own, only for it to be overwritten.
    net.setUpdater(new MultiLayerUpdater(net, base.updaterState.dup()));
    return new Replica(net, base.version);
  }

  /** Frees the network's native memory. */
  void close() {
    net.close();
  }

  /** The replica's network (tests). */
  MultiLayerNetwork network() {
    return net;
  }

  /**
   * Brings the replica to version {@code target}, the driver's state after the averaged rounds of
   * {@code history} (oldest first; the last produced {@code target}), applying those it has not
   * seen. Returns false when it cannot (too far behind, or its own last result was not averaged):
   * then it must start again from the full state. Each round is fetched (a broadcast's value) only
   * when applied.
   */
  boolean reach(long target, List<Supplier<RoundDelta>> history) {
    if (version == target && result == 0) {
      return true;
    }
    long first = target - history.size();
    if (version < first || version >= target) {
      return false;
    }
    int next = Math.toIntExact(version - first);
    if (result != 0 && !history.get(next).get().contains(result)) {
      return false;
    }
    for (int i = next; i < history.size(); i++) {
      layout.write(net, history.get(i).get());
      version++;
      result = 0;
    }
    return true;
  }

  /**
   * Fits {@code batches} in order from the current state, with lazy Adam on the row-sparse tables
   * and DL4J's updater on the rest, and returns what changed: the dense part and the touched rows.
   */
  RoundDelta train(
      RowSparseTrainingMaster.Round round,
      int worker,
      List<DataSet> batches,
      List<TrainingHook> hooks) {
    if (batches.isEmpty()) {
      return RoundDelta.none();
    }
    SASRecLayerImpl layer = SASRecNetwork.layer(net);
    List<UpdaterBlock> blocks = StateLayout.blocks(net);
    for (UpdaterBlock block : blocks) {
      block.getGradientUpdater().getConfig().setLrAndSchedule(round.learningRate(), null);
    }
    net.setEpochCount(round.epoch());
    layer.setEpochCount(round.epoch());
    Map<String, BitSet> changed = new HashMap<>();
    int iteration = round.iteration();
    double loss = Double.NaN;
    for (DataSet batch : batches) {
      net.setIterationCount(iteration);
      layer.setIterationCount(iteration);
      for (TrainingHook hook : hooks) {
        hook.preUpdate(batch, net);
      }
      // The worker's own dropout stream, however Spark numbered the task.
      layer.setWorker(worker);
      SASRecLayerImpl.SparseStep step =
          layer.sparseStep(batch.getFeatures(), batch.getLabels(), rowSparse);
      update(blocks, step.rows(), iteration, round.epoch());
      loss = step.step().loss();
      step.rows()
          .forEach(
              (key, rows) -> {
                BitSet set = changed.computeIfAbsent(key, k -> new BitSet());
                for (int r : rows) {
                  set.set(r);
                }
              });
      for (TrainingHook hook : hooks) {
        hook.postUpdate(batch, net);
      }
      iteration++;
    }
    result = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    return layout.read(net, changed, result, batches.size(), loss);
  }

  /**
   * Lazy Adam on the touched rows of each row-sparse table, DL4J's updater on every dense block.
   */
  private void update(
      List<UpdaterBlock> blocks, Map<String, int[]> rows, int iteration, int epoch) {
    for (UpdaterBlock block : blocks) {
      long start = block.getParamOffsetStart();
      long end = block.getParamOffsetEnd();
      INDArray params = flatParams.get(NDArrayIndex.interval(start, end));
      INDArray gradient = flatGradients.get(NDArrayIndex.interval(start, end));
      if (block.getGradientUpdater() instanceof LazyAdamUpdater lazy) {
        String key = lazy.getConfig().getTable();
        long width = lazy.getConfig().getWidth();
        long tableRows = (end - start) / width;
        lazy.updateRows(
            params.reshape(tableRows, width),
            gradient.reshape(tableRows, width),
            rows.getOrDefault(key, new int[0]));
      } else {
        block.getGradientUpdater().applyUpdater(gradient, iteration, epoch);
        params.subi(gradient);
      }
    }
  }
}
