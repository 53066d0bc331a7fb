package dev.sasrec.train.sparse;

import dev.sasrec.text.Figures;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.Partitioner;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.api.TrainingResult;
import org.deeplearning4j.spark.api.TrainingWorker;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * Parameter averaging for {@link SparkDl4jMultiLayer} that moves only what changed: each round
 * carries the dense parameters with their updater state, and of every row-sparse table ({@link
 * dev.sasrec.model.dl4j.LazyAdam}) only the rows the workers changed, averaged per row over the
 * workers that changed it. DL4J's {@code ParameterAveragingTrainingMaster} ships and averages the
 * whole flat vector and its Adam state every round; at a 634,381-item catalogue that is ~940 MB per
 * worker per round, most of it rows no batch touched.
 *
 * <p>An epoch: its batches (one DataSet each) get a seeded order ({@link BatchOrder}) and are
 * shuffled once into rounds × workers partitions; round r fits partitions [r·W, r·W + W), one task
 * each, {@code averagingFrequency} batches per task. A task brings its executor's {@link Replica}
 * to the driver's version with the previous round's averages, fits, and returns its {@link
 * RoundDelta}; Spark's {@code treeAggregate} sums them, the driver averages, writes the averages
 * into its network and shares them with the next round ({@link Shared}: a broadcast on a cluster,
 * the JVM itself in local mode). A task without a usable replica (the first round of a fit, a new
 * executor, a result Spark discarded) does not train and asks for the full state, shared the same
 * way, with which only that worker fits the round again.
 */
public final class RowSparseTrainingMaster
    implements TrainingMaster<TrainingResult, TrainingWorker<TrainingResult>> {

  private static final Logger LOG = LoggerFactory.getLogger(RowSparseTrainingMaster.class);

  /**
   * Rounds of averages kept for replicas that fell behind: a worker idle in a short last round, or
   * a task scheduled on another executor than last time, catches up from them instead of asking for
   * the full state.
   */
  static final int HISTORY = 4;

  /** What the driver keeps between the epochs of one run: the version the workers follow. */
  public static final class Run implements AutoCloseable {
    private final String id = UUID.randomUUID().toString();
    private MultiLayerNetwork tracked;
    private StateLayout layout;
    private long version;

    /** The averages of the latest rounds, oldest first: the last produced {@link #version}. */
    private final Deque<Shared<RoundDelta>> history = new ArrayDeque<>();

    /** Keys of the values shared with tasks, unique within the run. */
    private long keys;

    private final RoundBytes bytes = new RoundBytes();

    /** What the rounds of the last epoch moved. */
    public RoundBytes bytes() {
      return bytes;
    }

    private void track(MultiLayerNetwork net) {
      if (tracked != net) {
        // Another network (a restored checkpoint): every replica is stale.
        tracked = net;
        layout = new StateLayout(net);
        version++;
        dropHistory();
      }
    }

    private <T> Shared<T> share(JavaSparkContext sc, T value) {
      return Shared.of(sc, id, ++keys, value);
    }

    private void add(Shared<RoundDelta> averaged) {
      history.addLast(averaged);
      version++;
      if (history.size() > HISTORY) {
        history.pollFirst().drop();
      }
    }

    private void dropHistory() {
      history.forEach(Shared::drop);
      history.clear();
    }

    @Override
    public void close() {
      dropHistory();
      ReplicaPool.release(id);
    }
  }

  /** Bytes moved by the rounds of one epoch: worker results up, averaged rounds down. */
  public static final class RoundBytes {
    private long rounds;
    private long up;
    private long down;
    private long base;
    private long dense;

    void reset(long denseRound) {
      rounds = 0;
      up = 0;
      down = 0;
      base = 0;
      dense = denseRound;
    }

    /**
     * Bytes DL4J's ParameterAveragingTrainingMaster returns per round for the same network: every
     * worker's whole parameter vector and Adam state (a whole-table Adam's, without step counts).
     */
    public long denseAveragingPerRound() {
      return dense;
    }

    public long rounds() {
      return rounds;
    }

    /** Bytes all workers sent in an average round. */
    public double upPerRound() {
      return rounds == 0 ? 0 : (double) up / rounds;
    }

    /** Bytes of an average round's averages, shared with the next round. */
    public double downPerRound() {
      return rounds == 0 ? 0 : (double) down / rounds;
    }

    /** Bytes of the full states shared in the epoch. */
    public long fullState() {
      return base;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d rounds, %s from the workers and %s of averages per round (DL4J's parameter"
              + " averaging: %s from the workers), %s of full state",
          rounds,
          Figures.bytes(upPerRound()),
          Figures.bytes(downPerRound()),
          Figures.bytes(dense),
          Figures.bytes(base));
    }
  }

  /** A round's settings, as a task needs them. */
  record Round(long version, int epoch, int iteration, double learningRate)
      implements Serializable {}

  private final int workers;
  private final int averagingFrequency;
  private final long seed;
  private final Run run;
  private final List<TrainingHook> hooks = new ArrayList<>();

  /**
   * @param workers tasks per round
   * @param averagingFrequency batches each task fits per round
   * @param seed the epoch's batch order
   * @param run the run's state across epochs
   */
  public RowSparseTrainingMaster(int workers, int averagingFrequency, long seed, Run run) {
    if (workers < 1 || averagingFrequency < 1) {
      throw new IllegalArgumentException(
          "Cannot average rows: workers and averaging frequency must be at least 1 ("
              + workers
              + ", "
              + averagingFrequency
              + ")");
    }
    this.workers = workers;
    this.averagingFrequency = averagingFrequency;
    this.seed = seed;
    this.run = run;
  }

  @Override
  public void executeTraining(SparkDl4jMultiLayer network, JavaRDD<DataSet> trainingData) {
    MultiLayerNetwork net = network.getNetwork();
    JavaSparkContext sc = network.getSparkContext();
    run.track(net);
    run.bytes.reset(workers * 3L * Float.BYTES * net.params().length());
    trainingData.persist(StorageLevel.MEMORY_AND_DISK());
    long batches = trainingData.count();
    if (batches == 0) {
      return;
    }
    long perRound = (long) workers * averagingFrequency;
    int rounds = Math.toIntExact((batches + perRound - 1) / perRound);
    BatchOrder order = new BatchOrder(batches, seed);
    int frequency = averagingFrequency;
    JavaPairRDD<Long, DataSet> keyed =
        trainingData.zipWithIndex().mapToPair(t -> new Tuple2<>(order.position(t._2()), t._1()));
    JavaRDD<DataSet> shuffled =
        keyed
            .repartitionAndSortWithinPartitions(new RoundPartitioner(rounds * workers, frequency))
            .values();
    LongAccumulator up = sc.sc().longAccumulator("row-sparse averaging bytes up");
    double loss = Double.NaN;
    for (int r = 0; r < rounds; r++) {
      loss = round(sc, net, prune(shuffled, workers(r * workers)), up);
    }
    run.bytes.up = up.value();
    network.setScore(loss);
    // Between fits the workers' replicas would sit idle beside the evaluation's copies (at a large
    // catalogue gigabytes): in local mode they are freed now and the next fit starts from the full
    // state. On a cluster each executor keeps its own until the next fit replaces it.
    run.dropHistory();
    ReplicaPool.release(run.id);
    LOG.info("Row-sparse averaging: {}", run.bytes);
  }

  /** Fits one round, averages it into {@code net}; returns the workers' mean last loss. */
  private double round(
      JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> part, LongAccumulator up) {
    Round round =
        new Round(run.version, net.getEpochCount(), net.getIterationCount(), learningRate(net));
    Shared<FullState> base = run.history.isEmpty() ? fullState(sc, net) : null;
    try {
      RoundDelta sum = fit(part, workers(0), round, base, up);
      if (sum.needBase.length > 0) {
        if (base != null) {
          throw new IllegalStateException(
              "Cannot average rows: workers "
                  + Arrays.toString(sum.needBase)
                  + " could not start from the full state (version "
                  + run.version
                  + ")");
        }
        // Only the workers without a usable replica fit again, from the full state: the others'
        // results stand (their steps are counted once).
        base = fullState(sc, net);
        int[] retry = sum.needBase;
        sum = sum.withoutNeeds().plus(fit(prune(part, retry), retry, round, base, up));
      }
      if (sum.workers == 0) {
        return Double.NaN;
      }
      RoundDelta averaged = sum.averaged();
      run.layout.write(net, averaged);
      net.setIterationCount(net.getIterationCount() + averaged.steps);
      run.add(run.share(sc, averaged));
      run.bytes.rounds++;
      run.bytes.down += averaged.bytes();
      return averaged.loss;
    } finally {
      if (base != null) {
        base.drop();
      }
    }
  }

  /** The rate the driver's network trains at (the epoch's, set by the learning-rate schedule). */
  private static double learningRate(MultiLayerNetwork net) {
    if (!(net.getLayer(0).conf().getLayer() instanceof BaseLayer layer)
        || layer.getIUpdater() == null
        || !layer.getIUpdater().hasLearningRate()) {
      throw new IllegalStateException(
          "Cannot average rows: the network's layer has no updater with a learning rate");
    }
    return layer.getIUpdater().getLearningRate(net.getIterationCount(), net.getEpochCount());
  }

  /** The full state for a round (its value is the driver's network: nothing to free after). */
  private Shared<FullState> fullState(JavaSparkContext sc, MultiLayerNetwork net) {
    FullState state = FullState.of(net, run.version);
    run.bytes.base += state.bytes();
    return run.share(sc, state);
  }

  /** {@code first}, {@code first + 1}, … for each of the round's workers. */
  private int[] workers(int first) {
    int[] indices = new int[workers];
    for (int w = 0; w < workers; w++) {
      indices[w] = first + w;
    }
    return indices;
  }

  /**
   * Fits the partitions of {@code part}; partition i is worker {@code workerOf[i]} (its dropout
   * stream), whichever Spark partition index it has after pruning.
   */
  private RoundDelta fit(
      JavaRDD<DataSet> part,
      int[] workerOf,
      Round round,
      Shared<FullState> base,
      LongAccumulator up) {
    RoundTask task =
        new RoundTask(
            run.id,
            round,
            workerOf,
            new ArrayList<>(run.history),
            base,
            new ArrayList<>(hooks),
            up);
    return part.mapPartitions(task)
        .treeAggregate(RoundDelta.none(), RoundDelta::plus, RoundDelta::plus);
  }

  /** Partitions {@code keep} (sorted) of {@code rdd}, re-indexed from 0 in that order. */
  private static JavaRDD<DataSet> prune(JavaRDD<DataSet> rdd, int[] keep) {
    int[] kept = keep.clone();
    Function1<Object, Object> filter =
        (Function1<Object, Object> & Serializable) p -> Arrays.binarySearch(kept, (Integer) p) >= 0;
    return new JavaRDD<>(
        PartitionPruningRDD.create(rdd.rdd(), filter), ClassTag$.MODULE$.apply(DataSet.class));
  }

  /** Batch position q → partition q / averagingFrequency: round-major, then worker. */
  private static final class RoundPartitioner extends Partitioner {
    private final int partitions;
    private final int frequency;

    RoundPartitioner(int partitions, int frequency) {
      this.partitions = partitions;
      this.frequency = frequency;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return Math.toIntExact((Long) key / frequency);
    }
  }

  /** One worker's part of a round, on an executor. */
  private record RoundTask(
      String runId,
      Round round,
      int[] workerOf,
      List<Shared<RoundDelta>> history,
      Shared<FullState> base,
      List<TrainingHook> hooks,
      LongAccumulator up)
      implements FlatMapFunction<Iterator<DataSet>, RoundDelta> {

    @Override
    public Iterator<RoundDelta> call(Iterator<DataSet> batches) {
      List<DataSet> list = new ArrayList<>();
      batches.forEachRemaining(list::add);
      if (list.isEmpty()) {
        return List.of(RoundDelta.none()).iterator();
      }
      int worker = workerOf[TaskContext.getPartitionId()];
      Replica replica = ReplicaPool.take(runId);
      try {
        List<Supplier<RoundDelta>> rounds = new ArrayList<>();
        history.forEach(h -> rounds.add(h::value));
        if (replica == null || !replica.reach(round.version(), rounds)) {
          if (base == null) {
            return List.of(RoundDelta.baseNeeded(worker)).iterator();
          }
          if (replica != null) {
            replica.close();
          }
          replica = Replica.of(base.value());
        }
        RoundDelta result = replica.train(round, worker, list, hooks);
        up.add(result.bytes());
        return List.of(result).iterator();
      } catch (OutOfMemoryError e) {
        // Thrown as it is, or as the cause of another, Spark takes it as fatal and ends the
        // executor (in local mode the whole job, exit code 52) before the driver can say what
        // happened (spark.executor.killOnFatalError.depth): only its name and message go on.
        ReplicaPool.release(runId);
        replica = null;
        throw new IllegalStateException(
            "Cannot fit a round: "
                + OutOfMemoryError.class.getSimpleName()
                + ": "
                + e.getMessage());
      } finally {
        if (replica != null) {
          ReplicaPool.give(runId, replica);
        }
      }
    }
  }

  @Override
  public void addHook(TrainingHook hook) {
    hooks.add(hook);
  }

  @Override
  public void removeHook(TrainingHook hook) {
    hooks.remove(hook);
  }

  @Override
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"master\":\"row-sparse\",\"workers\":%d,\"averagingFrequency\":%d,\"seed\":%d}",
        workers,
        averagingFrequency,
        seed);
  }

  @Override
  public String toYaml() {
    return String.format(
        Locale.ROOT,
        "master: row-sparse%nworkers: %d%naveragingFrequency: %d%nseed: %d%n",
        workers,
        averagingFrequency,
        seed);
  }

  private static UnsupportedOperationException notHere(String what) {
    return new UnsupportedOperationException(
        "Cannot " + what + ": the row-sparse master trains a SparkDl4jMultiLayer from DataSets");
  }

  @Override
  public TrainingWorker<TrainingResult> getWorkerInstance(SparkDl4jMultiLayer network) {
    throw notHere("hand out a DL4J worker (its tasks train replicas of their own)");
  }

  @Override
  public TrainingWorker<TrainingResult> getWorkerInstance(SparkComputationGraph graph) {
    throw notHere("train a ComputationGraph");
  }

  @Override
  public void executeTrainingPaths(
      SparkDl4jMultiLayer network,
      SparkComputationGraph graph,
      JavaRDD<String> paths,
      DataSetLoader dsLoader,
      MultiDataSetLoader mdsLoader) {
    throw notHere("train from exported paths");
  }

  @Override
  public void executeTraining(SparkComputationGraph graph, JavaRDD<DataSet> trainingData) {
    throw notHere("train a ComputationGraph");
  }

  @Override
  public void executeTrainingMDS(SparkComputationGraph graph, JavaRDD<MultiDataSet> trainingData) {
    throw notHere("train a ComputationGraph");
  }

  @Override
  public void setCollectTrainingStats(boolean collect) {
    if (collect) {
      throw notHere("collect DL4J training stats (it logs bytes per round instead)");
    }
  }

  @Override
  public boolean getIsCollectTrainingStats() {
    return false;
  }

  @Override
  public SparkTrainingStats getTrainingStats() {
    return null;
  }

  @Override
  public void setListeners(Collection<TrainingListener> listeners) {
    if (!listeners.isEmpty()) {
      throw notHere("run DL4J training listeners (use a TrainingHook)");
    }
  }

  @Override
  public void setListeners(StatsStorageRouter router, Collection<TrainingListener> listeners) {
    setListeners(listeners);
  }

  @Override
  public boolean deleteTempFiles(JavaSparkContext sc) {
    return true;
  }

  @Override
  public boolean deleteTempFiles(SparkContext sc) {
    return true;
  }
}
