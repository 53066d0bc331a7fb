package dev.sasrec.train;

import dev.sasrec.config.Refusal;
import dev.sasrec.eval.EvalSums;
import dev.sasrec.eval.Evaluator;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.eval.ValidationSample;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.Split;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.text.Figures;
import dev.sasrec.train.sparse.RowSparseTrainingMaster;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model under the {@link Trainer}, on Spark: DL4J parameter averaging fits an epoch, the
 * executors score the broadcast parameters, checkpoints live in the run directory.
 */
final class DistributedModel implements Trainer.Model, Trainer.CheckpointStore, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DistributedModel.class);

  /** Worker prefetch: batches a worker prepares ahead of the one it fits. */
  static final int PREFETCH_BATCHES = 2;

  /** Characters of Spark's reason kept in the one line of a step Spark gave up on. */
  private static final int MAX_CAUSE_CHARS = 400;

  private final SparkSession spark;
  private final JavaSparkContext sc;
  private final TrainConfig config;
  private final ModelConfig modelConfig;
  private final ItemCategories categories;
  private final Checkpoints checkpoints;
  private final PreprocessLayout data;
  private final JavaRDD<ExampleRow> train;
  private final JavaRDD<ExampleRow> validation;
  private final long trainRows;
  private final FitProgress progress;
  private MultiLayerNetwork net;

  /** The epoch whose parameters {@link #net} holds (0: the start's, not a fitted epoch). */
  private int networkEpoch;

  /** The current parameters as the executors see them; made on first use after they change. */
  private Broadcast<ModelSnapshot> snapshot;

  /** One daemon thread: checkpoints are written in epoch order and never keep the JVM alive. */
  private final ExecutorService checkpointWriter =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sasrec-checkpoints");
            t.setDaemon(true);
            return t;
          });

  private CompletableFuture<Void> pendingCheckpoint = CompletableFuture.completedFuture(null);

  /** The row-sparse master's state across epochs (the version its workers' replicas follow). */
  private final RowSparseTrainingMaster.Run rowSparseRun = new RowSparseTrainingMaster.Run();

  DistributedModel(
      SparkSession spark,
      TrainConfig config,
      ModelConfig modelConfig,
      ItemCategories categories,
      PreprocessLayout data,
      Checkpoints checkpoints,
      MultiLayerNetwork net) {
    this.spark = spark;
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.config = config;
    this.modelConfig = modelConfig;
    this.categories = categories;
    this.data = data;
    this.checkpoints = checkpoints;
    this.net = net;
    this.train = rows(Split.TRAIN);
    this.validation = validationSample(rows(Split.VALIDATION));
    this.trainRows = train.count();
    this.progress = new FitProgress(config.epochs(), FitProgress.LOG::info, System::nanoTime);
    spark.sparkContext().addSparkListener(progress);
  }

  /** The validation examples every evaluated epoch ranks ({@code --validation-examples}). */
  private JavaRDD<ExampleRow> validationSample(JavaRDD<ExampleRow> all) {
    long examples = all.count();
    ValidationSample sample = config.validationSample();
    long size = sample.size(examples, modelConfig.numItems());
    LOG.info(
        "Validation: each evaluated epoch ranks {}{}",
        sample.describe(examples, modelConfig.numItems()),
        size < examples
            ? "; "
                + TrainConfig.Key.VALIDATION_EXAMPLES.flag()
                + " all ranks every one, the test does"
            : "");
    return ValidationSample.select(all, examples, size, config.seed());
  }

  /** The current network: after the Trainer's run, the result epoch's. */
  MultiLayerNetwork network() {
    return net;
  }

  /**
   * The training master of an epoch: {@code --averaging sparse} moves only the item rows workers
   * changed ({@link RowSparseTrainingMaster}), {@code dense} is DL4J's parameter averaging. A fresh
   * master per epoch, seeded by the epoch: a resumed run splits data as the uninterrupted one did
   * (the master's random state is not checkpointed).
   */
  static TrainingMaster<?, ?> trainingMaster(
      TrainConfig config, int epoch, RowSparseTrainingMaster.Run run) {
    long seed = config.seed() * 1_000_003L + epoch;
    return switch (config.averaging()) {
      case SPARSE ->
          new RowSparseTrainingMaster(config.workers(), config.averagingFrequency(), seed, run);
      case DENSE ->
          new ParameterAveragingTrainingMaster.Builder(config.workers(), config.batchSize())
              .batchSizePerWorker(config.batchSize())
              .averagingFrequency(config.averagingFrequency())
              .workerPrefetchNumBatches(PREFETCH_BATCHES)
              .saveUpdater(true)
              .rddTrainingApproach(RDDTrainingApproach.Direct)
              .repartionData(Repartition.Always)
              .rngSeed(seed)
              .collectTrainingStats(false)
              .build();
    };
  }

  /** The settings of epoch {@code epoch}'s training master, as JSON (run.json). */
  static String masterSettings(TrainConfig config, int epoch) {
    try (RowSparseTrainingMaster.Run run = new RowSparseTrainingMaster.Run()) {
      return trainingMaster(config, epoch, run).toJson();
    }
  }

  /**
   * Fits an epoch by parameter averaging. The training loss and accuracy are the running sums of
   * the epoch's steps, gathered from the workers by a {@link FitHook} into a {@link FitAccumulator}
   * (which {@link FitProgress} also reads for the progress lines).
   */
  @Override
  public Trainer.Fit fit(int epoch) {
    describe("epoch " + epoch + "/" + config.epochs() + ": fit");
    net.setEpochCount(epoch - 1);
    // The rate goes to the workers with the network's configuration.
    double learningRate = config.learningRate().apply(net, epoch);
    LOG.info(
        "epoch {}/{}: learning rate {}", epoch, config.epochs(), Figures.setting(learningRate));
    TrainingMaster<?, ?> master = trainingMaster(config, epoch, rowSparseRun);
    FitAccumulator sums = new FitAccumulator();
    spark.sparkContext().register(sums, "TrainSASRec epoch " + epoch + " fit");
    master.addHook(new FitHook(sums));
    SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, master);
    JavaRDD<DataSet> batches =
        train.mapPartitions(
            new TrainingBatches.ForEpoch(
                modelConfig.numItems(),
                config.objective(),
                categories,
                config.batchSize(),
                config.seed(),
                epoch));
    progress.startEpoch(epoch, sums, trainRows);
    long start = System.nanoTime();
    try {
      sparkStep(
          "the fit of epoch " + epoch,
          () -> {
            sparkNet.fit(batches);
            return null;
          });
    } finally {
      progress.endEpoch();
      // The master persists the epoch's batches and leaves them cached.
      batches.unpersist(false);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    replaceNetwork(sparkNet.getNetwork());
    networkEpoch = epoch;
    boolean finite = parametersFinite(net);
    if (finite) {
      writeNetwork(epoch);
    }
    return new Trainer.Fit(
        sparkNet.getScore(), sums.value().toEvalSums(), finite, trainRows, seconds, learningRate);
  }

  /**
   * Starts writing the fitted network of {@code epoch} while the validation scores it: both only
   * read the parameters, and {@link #save} waits for the write before the next fit changes them, so
   * no copy of the network is needed (a copy is the network's size again: 1 GB at 634,381 items).
   */
  private void writeNetwork(int epoch) {
    awaitCheckpoints();
    MultiLayerNetwork fitted = net;
    pendingCheckpoint =
        CompletableFuture.runAsync(
            () -> {
              long start = System.nanoTime();
              checkpoints.writeNetwork(fitted, epoch);
              LOG.info(
                  String.format(
                      Locale.ROOT,
                      "epoch %d/%d: checkpoint written (%s in %s)",
                      epoch,
                      config.epochs(),
                      Figures.bytes(checkpoints.bytes(epoch)),
                      Figures.duration((System.nanoTime() - start) / 1e9)));
            },
            checkpointWriter);
  }

  /** Whether no parameter is NaN or infinite. */
  static boolean parametersFinite(MultiLayerNetwork net) {
    INDArray params = net.params();
    return !params.isNaN().any() && !params.isInfinite().any();
  }

  @Override
  public EvalSums evaluate(Split split, int epoch, Trainer.Ranking ranking) {
    Broadcast<ModelSnapshot> model = snapshot();
    boolean rank = ranking == Trainer.Ranking.RANK;
    JavaRDD<ExampleRow> rows =
        switch (split) {
          case VALIDATION -> {
            describe("epoch " + epoch + "/" + config.epochs() + ": evaluate");
            yield validation;
          }
          case TEST -> {
            describe("test metrics of epoch " + epoch);
            yield rows(Split.TEST);
          }
          case TRAIN ->
              throw new IllegalArgumentException(
                  "Cannot evaluate the training split: its loss comes from the fit");
        };
    return sparkStep(
        "the " + split.name().toLowerCase(Locale.ROOT) + " metrics of epoch " + epoch,
        () -> Evaluator.evaluate(rows, model, config.seed(), split, rank));
  }

  /**
   * Runs one Spark step of the run. A lost executor is routine: Spark re-runs its tasks (up to
   * {@code spark.task.maxFailures} each) and the step goes on. When Spark gives up on the step
   * instead, the run stops with one line that names the checkpoint {@code --resume true} continues
   * from, not with Spark's stack trace; a refusal raised inside a task keeps its own line.
   */
  private <T> T sparkStep(String step, Supplier<T> body) {
    try {
      return body.get();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(step, e.toString(), e);
    } catch (Exception e) {
      SparkException aborted = Refusal.in(e) == null ? sparkExceptionIn(e) : null;
      if (aborted == null) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      String cause = firstLine(aborted.getMessage());
      if (cause.contains(OutOfMemoryError.class.getSimpleName())) {
        throw outOfMemory(step, cause, e);
      }
      throw new Refusal(
          "Cannot train: Spark gave up on "
              + step
              + " ("
              + cause
              + "); "
              + newest()
                  .map(
                      zip ->
                          "run the same command with "
                              + TrainConfig.Key.RESUME.flag()
                              + " true to continue from "
                              + zip)
                  .orElse("no checkpoint was written yet: run the same command again"),
          e);
    }
  }

  /**
   * Memory ran out: running the same command again fails the same way, so the line says what to
   * raise and what the run was estimated to need.
   */
  private Refusal outOfMemory(String step, String cause, Throwable e) {
    return new Refusal(
        "Cannot train: out of memory in "
            + step
            + " ("
            + cause
            + "); the run was estimated to need "
            + MemoryEstimate.of(modelConfig, config, spark.sparkContext().isLocal())
            + ": raise --driver-memory (local) or spark.executor.memory and"
            + " spark.executor.memoryOverhead (cluster), or lower --workers, then resume with "
            + TrainConfig.Key.RESUME.flag()
            + " true"
            + newest().map(zip -> " from " + zip).orElse(" (no checkpoint yet: it starts anew)"),
        e);
  }

  private static SparkException sparkExceptionIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SparkException s) {
        return s;
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    String line = message == null ? "no message" : message.lines().findFirst().orElse("");
    return line.length() <= MAX_CAUSE_CHARS ? line : line.substring(0, MAX_CAUSE_CHARS) + "…";
  }

  /**
   * Completes the checkpoint of the epoch just fitted: waits for its network ({@link
   * #writeNetwork}, begun when the fit ended), then writes its state file beside the next fit. At
   * most one write is in flight, so a failure stops the run one epoch later at the latest, and each
   * file goes through a temporary name and a rename: a killed run resumes from the newest complete
   * checkpoint.
   */
  @Override
  public void save(TrainingState state) {
    awaitCheckpoints();
    Checkpoints.State checkpoint = state.toCheckpoint();
    pendingCheckpoint =
        CompletableFuture.runAsync(() -> checkpoints.writeState(checkpoint), checkpointWriter);
  }

  @Override
  public void prune(int newest, int bestEpoch) {
    pendingCheckpoint =
        pendingCheckpoint.thenRunAsync(
            () -> checkpoints.prune(newest, bestEpoch), checkpointWriter);
  }

  /**
   * Loads epoch {@code epoch}'s checkpoint, unless the network already is that epoch's (the result
   * is often the last epoch): loading reads the whole checkpoint, Adam's state included, and holds
   * a second network until the current one is closed.
   */
  @Override
  public void restore(int epoch) {
    awaitCheckpoints();
    if (epoch == networkEpoch) {
      return;
    }
    MultiLayerNetwork previous = net;
    replaceNetwork(checkpoints.load(epoch));
    networkEpoch = epoch;
    previous.close();
  }

  @Override
  public Optional<String> newest() {
    awaitCheckpoints();
    return checkpoints.epochs().stream().findFirst().map(e -> checkpoints.zip(e).toString());
  }

  /** Waits for the checkpoint writes in flight; their failure is the caller's. */
  private void awaitCheckpoints() {
    try {
      pendingCheckpoint.join();
    } catch (CompletionException e) {
      pendingCheckpoint = CompletableFuture.completedFuture(null);
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  @Override
  public void close() {
    try {
      awaitCheckpoints();
    } finally {
      checkpointWriter.shutdown();
      rowSparseRun.close();
    }
    spark.sparkContext().removeSparkListener(progress);
    dropSnapshot();
    spark.sparkContext().setJobDescription(null);
  }

  private Broadcast<ModelSnapshot> snapshot() {
    if (snapshot == null) {
      snapshot =
          sc.broadcast(
              ModelSnapshot.of(
                  modelConfig, config.targets(), config.objective(), net.params(), categories));
    }
    return snapshot;
  }

  private void replaceNetwork(MultiLayerNetwork next) {
    net = next;
    dropSnapshot();
  }

  private void dropSnapshot() {
    if (snapshot != null) {
      snapshot.destroy();
      snapshot = null;
    }
  }

  private void describe(String what) {
    spark.sparkContext().setJobDescription("TrainSASRec " + what);
  }

  private JavaRDD<ExampleRow> rows(Split split) {
    return ExampleRow.read(spark, data.sequences(split));
  }
}
