package dev.sasrec.train;

import dev.sasrec.eval.EvalSums;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.gpu.GpuSupport;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.ModelVocabulary;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.TrainLayout;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.ModelCard;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TrainSASRec job: wires Spark, DL4J's parameter averaging and the run directory to the {@link
 * Trainer}, which runs the epochs, early stopping and checkpoints, and tests the best epoch.
 */
public final class TrainJob {

  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  /** The test metrics of the best epoch, and the epochs run. */
  public record Result(
      int bestEpoch,
      double testHr10Sampled,
      double testNdcg10Sampled,
      double testHr10Full,
      double testNdcg10Full,
      List<EpochMetrics> history) {

    static Result of(Trainer.Outcome outcome) {
      EvalSums test = outcome.test();
      return new Result(
          outcome.bestEpoch(),
          test.meanHrSampled(),
          test.meanNdcgSampled(),
          test.meanHrFull(),
          test.meanNdcgFull(),
          outcome.history());
    }
  }

  private final SparkSession spark;

  public TrainJob(SparkSession spark) {
    this.spark = spark;
  }

  public Result run(TrainConfig config) {
    Properties environment = Nd4j.getExecutioner().getEnvironmentInformation();
    GpuSupport.checkBackend(String.valueOf(environment.get("backend")), environment);
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    ModelConfig modelConfig = TrainPlan.check(config, hadoopConf).model();
    PreprocessLayout data = PreprocessLayout.at(config.input());
    ItemCategories categories = ModelSnapshot.itemCategories(spark, data, modelConfig);
    // Training happens in the run's staging directory; the run appears at its path on success.
    JobOutput output = JobOutput.prepare(config.outputTarget(), hadoopConf);
    return output.write(
        root -> train(config, data, modelConfig, categories, new TrainLayout(root)));
  }

  private Result train(
      TrainConfig config,
      PreprocessLayout data,
      ModelConfig modelConfig,
      ItemCategories categories,
      TrainLayout layout) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Checkpoints checkpoints = new Checkpoints(layout.checkpoints(), hadoopConf);
    Optional<Checkpoints.Loaded> resumed =
        config.resume() ? resume(checkpoints, modelConfig, config) : Optional.empty();
    TrainingState start =
        resumed.map(l -> TrainingState.of(l.state())).orElse(TrainingState.fresh());
    MultiLayerNetwork net =
        resumed.map(Checkpoints.Loaded::network).orElseGet(() -> create(config, modelConfig));
    if (start.epoch() < config.epochs()) {
      // A resumed checkpoint trains on at this run's rate (a lower --lr is the recovery from a
      // diverged run); run.json shows it.
      config.learningRate().apply(net, start.epoch() + 1);
    }
    // Only now, with the checkpoint loaded and matching: run.json says how this run trains.
    RunDirectory run = new RunDirectory(layout, hadoopConf, config.objective().displayName());
    run.writeRun(config, DistributedModel.masterSettings(config, start.epoch() + 1), net);
    // The run directory's writes in flight are awaited however the run ends.
    try (run;
        DistributedModel model =
            DistributedModel.start(spark, config, modelConfig, categories, data, net);
        AsyncCheckpoints store = new AsyncCheckpoints(checkpoints, model, config.epochs())) {
      Trainer trainer = new Trainer(Trainer.Settings.of(config), model, store, run);
      Result result = Result.of(run(trainer, start, store, config, modelConfig));
      run.writeResults(result);
      run.writeModel(
          model.current(),
          new ModelCard(
              modelConfig,
              config.targets(),
              config.objective(),
              result.bestEpoch(),
              data.root().toString(),
              data.items().toString(),
              data.users().toString()));
      ModelVocabulary.write(spark, data, layout.modelDir(), modelConfig.cafe());
      return result;
    }
  }

  /**
   * Runs the Spark-free training loop over the Spark model; a Spark step that failed for good stops
   * it with one line naming the checkpoint to resume from.
   */
  private Trainer.Outcome run(
      Trainer trainer,
      TrainingState start,
      AsyncCheckpoints store,
      TrainConfig config,
      ModelConfig modelConfig) {
    try {
      return trainer.run(start);
    } catch (SparkFailures.StepFailed f) {
      throw SparkFailures.refusal(
          f,
          store.newest(),
          () -> MemoryEstimate.of(modelConfig, config, spark.sparkContext().isLocal()).toString());
    }
  }

  /**
   * The newest checkpoint that loads, checked against the model the options ask for and checked
   * against this run's options; empty (with a line saying the run starts from epoch 1) when there
   * is none.
   */
  private static Optional<Checkpoints.Loaded> resume(
      Checkpoints checkpoints, ModelConfig modelConfig, TrainConfig config) {
    Optional<Checkpoints.Loaded> loaded = checkpoints.newest();
    if (loaded.isEmpty()) {
      List<Integer> unusable = checkpoints.epochs();
      if (unusable.isEmpty()) {
        LOG.info(
            "Nothing to resume: no checkpoint in {}; starting from epoch 1",
            checkpoints.directory());
      } else {
        LOG.warn(
            "Cannot resume from any checkpoint: the {} in {} (epochs {}) are incomplete or corrupt;"
                + " starting from epoch 1 (they are moved to {})",
            unusable.size() == 1 ? "one" : "all " + unusable.size(),
            checkpoints.directory(),
            unusable,
            checkpoints.setAside());
      }
      return loaded;
    }
    Checkpoints.Loaded checkpoint = loaded.get();
    int epoch = checkpoint.state().epoch();
    Resumption.requireSameModel(
        checkpoint.network(), modelConfig, config, checkpoints.zip(epoch).toString());
    LOG.info("Resuming after epoch {} from {}", epoch, checkpoints.zip(epoch));
    return loaded;
  }

  private static MultiLayerNetwork create(TrainConfig config, ModelConfig modelConfig) {
    return SASRecNetwork.create(
        modelConfig,
        config.targets(),
        config.objective(),
        Adam.builder().learningRate(config.learningRate().at(1)).beta2(config.adamBeta2()).build(),
        config.itemUpdates(),
        config.seed());
  }
}
