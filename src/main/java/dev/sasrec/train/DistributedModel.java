package dev.sasrec.train;

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
 * executors score the broadcast parameters. Its checkpoints are {@link AsyncCheckpoints}'; a step
 * Spark gives up on raises {@link SparkFailures.StepFailed}.
 */
final class DistributedModel implements Trainer.Model, AsyncCheckpoints.Network, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DistributedModel.class);

  /** Worker prefetch: batches a worker prepares ahead of the one it fits. */
  static final int PREFETCH_BATCHES = 2;

  private final SparkSession spark;
  private final JavaSparkContext sc;
  private final TrainConfig config;
  private final ModelConfig modelConfig;
  private final ItemCategories categories;
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

  /** The row-sparse master's state across epochs (the version its workers' replicas follow). */
  private final RowSparseTrainingMaster.Run rowSparseRun = new RowSparseTrainingMaster.Run();

  private DistributedModel(
      SparkSession spark,
      TrainConfig config,
      ModelConfig modelConfig,
      ItemCategories categories,
      PreprocessLayout data,
      MultiLayerNetwork net,
      Splits splits) {
    this.spark = spark;
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.config = config;
    this.modelConfig = modelConfig;
    this.categories = categories;
    this.data = data;
    this.net = net;
    this.train = splits.train();
    this.validation = splits.validation();
    this.trainRows = splits.trainRows();
    this.progress = new FitProgress(config.epochs(), FitProgress.LOG::info, System::nanoTime);
    spark.sparkContext().addSparkListener(progress);
  }

  /** The training rows, their count, and the validation examples each evaluated epoch ranks. */
  private record Splits(
      JavaRDD<ExampleRow> train, long trainRows, JavaRDD<ExampleRow> validation) {}

  /**
   * The model of {@code net} on the Preprocess output {@code data}: counts the training rows and
   * draws the validation sample (two Spark jobs, here rather than in a constructor).
   */
  static DistributedModel start(
      SparkSession spark,
      TrainConfig config,
      ModelConfig modelConfig,
      ItemCategories categories,
      PreprocessLayout data,
      MultiLayerNetwork net) {
    JavaRDD<ExampleRow> train = ExampleRow.read(spark, data.sequences(Split.TRAIN));
    JavaRDD<ExampleRow> validation =
        validationSample(
            ExampleRow.read(spark, data.sequences(Split.VALIDATION)), config, modelConfig);
    return new DistributedModel(
        spark,
        config,
        modelConfig,
        categories,
        data,
        net,
        new Splits(train, train.count(), validation));
  }

  /** The validation examples every evaluated epoch ranks ({@code --validation-examples}). */
  private static JavaRDD<ExampleRow> validationSample(
      JavaRDD<ExampleRow> all, TrainConfig config, ModelConfig modelConfig) {
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
  @Override
  public MultiLayerNetwork current() {
    return net;
  }

  @Override
  public int epoch() {
    return networkEpoch;
  }

  @Override
  public void replace(MultiLayerNetwork next, int epoch) {
    net = next;
    networkEpoch = epoch;
    dropSnapshot();
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
      SparkFailures.step(
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
    replace(sparkNet.getNetwork(), epoch);
    return new Trainer.Fit(
        sparkNet.getScore(),
        sums.value().toEvalSums(),
        parametersFinite(net),
        trainRows,
        seconds,
        learningRate);
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
    return SparkFailures.step(
        "the " + split.name().toLowerCase(Locale.ROOT) + " metrics of epoch " + epoch,
        () -> Evaluator.evaluate(rows, model, config.seed(), split, rank));
  }

  @Override
  public void close() {
    rowSparseRun.close();
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
