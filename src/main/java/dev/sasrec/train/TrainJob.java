package dev.sasrec.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sasrec.eval.EvalSums;
import dev.sasrec.eval.Evaluator;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.gpu.GpuSupport;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.Split;
import dev.sasrec.io.TrainLayout;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.ModelCard;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TrainSASRec job: DL4J parameter averaging over Spark workers, evaluation on the executors
 * after every epoch, checkpoints, early stopping, and the best epoch's test metrics.
 */
public final class TrainJob {

  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  /** Worker prefetch: batches a worker prepares ahead of the one it fits. */
  static final int PREFETCH_BATCHES = 2;

  /** The test metrics of the best epoch, and the epochs run. */
  public record Result(
      int bestEpoch,
      double testHr10Sampled,
      double testNdcg10Sampled,
      double testHr10Full,
      double testNdcg10Full,
      List<EpochMetrics> history) {}

  private final SparkSession spark;
  private final JavaSparkContext sc;
  private final Configuration hadoopConf;

  public TrainJob(SparkSession spark) {
    this.spark = spark;
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.hadoopConf = spark.sparkContext().hadoopConfiguration();
  }

  public Result run(TrainConfig config) {
    java.util.Properties environment =
        org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
    GpuSupport.checkBackend(String.valueOf(environment.get("backend")), environment);
    PreprocessLayout data = PreprocessLayout.at(config.input());
    ModelConfig modelConfig = TrainPlan.check(config, hadoopConf).model();
    ItemCategories categories = ModelSnapshot.itemCategories(spark, data, modelConfig);
    JobOutput output = JobOutput.prepare(config.outputTarget(), hadoopConf);
    return output.write(
        root -> train(config, data, modelConfig, categories, new TrainLayout(root)));
  }

  private Result train(
      TrainConfig config,
      PreprocessLayout data,
      ModelConfig modelConfig,
      ItemCategories categories,
      TrainLayout out) {
    Checkpoints checkpoints = new Checkpoints(out.checkpoints(), hadoopConf);

    JavaRDD<ExampleRow> train = rows(data, Split.TRAIN);
    JavaRDD<ExampleRow> validation = rows(data, Split.VALIDATION);
    long trainRows = train.count();
    JavaRDD<ExampleRow> trainSample =
        trainRows <= config.trainEvalRows()
            ? train
            : train.sample(false, (double) config.trainEvalRows() / trainRows, config.seed());

    MultiLayerNetwork net;
    List<EpochMetrics> history = new ArrayList<>();
    int bestEpoch = 0;
    double bestNdcg = Double.NEGATIVE_INFINITY;
    int withoutImprovement = 0;
    int startEpoch = 1;
    Optional<Checkpoints.Loaded> resumed =
        config.resume() ? checkpoints.newest() : Optional.empty();
    if (resumed.isPresent()) {
      Checkpoints.State s = resumed.get().state();
      net = resumed.get().network();
      s.history().forEach(m -> history.add(EpochMetrics.fromMap(m)));
      bestEpoch = s.bestEpoch();
      bestNdcg = s.bestNdcg();
      withoutImprovement = s.epochsWithoutImprovement();
      startEpoch = s.epoch() + 1;
      LOG.info("Resuming after epoch {} from {}", s.epoch(), checkpoints.zip(s.epoch()));
    } else {
      net =
          SASRecNetwork.create(
              modelConfig,
              config.targets(),
              config.objective(),
              config.learningRate(),
              config.seed());
    }
    writeRun(out, config, trainingMaster(config, startEpoch), net);

    long started = System.nanoTime();
    int epochsRun = 0;
    for (int epoch = startEpoch; epoch <= config.epochs(); epoch++) {
      long epochStart = System.nanoTime();
      describe("epoch " + epoch + "/" + config.epochs() + ": fit");
      net.setEpochCount(epoch - 1);
      // A fresh master per epoch, seeded by the epoch: a resumed run splits data as the
      // uninterrupted one did (the master's random state is not checkpointed).
      SparkDl4jMultiLayer sparkNet =
          new SparkDl4jMultiLayer(sc, net, trainingMaster(config, epoch));
      JavaRDD<DataSet> batches =
          TrainingBatches.forEpoch(
              train,
              modelConfig.numItems(),
              config.objective(),
              categories,
              config.batchSize(),
              config.seed(),
              epoch);
      long fitStart = System.nanoTime();
      sparkNet.fit(batches);
      double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
      net = sparkNet.getNetwork();
      MultiLayerNetwork current = net;
      failIfNotFinite(current, sparkNet.getScore(), epoch, checkpoints);

      boolean rank = epoch % config.evalEvery() == 0 || epoch == config.epochs();
      describe("epoch " + epoch + "/" + config.epochs() + ": evaluate");
      Broadcast<ModelSnapshot> snapshot =
          sc.broadcast(
              ModelSnapshot.of(
                  modelConfig, config.targets(), config.objective(), current.params(), categories));
      EvalSums trainSums = TrainingLoss.evaluate(trainSample, snapshot, config.seed(), epoch);
      EvalSums val = Evaluator.evaluate(validation, snapshot, config.seed(), rank);
      snapshot.destroy();
      double wall = (System.nanoTime() - epochStart) / 1e9;
      EpochMetrics m =
          new EpochMetrics(
              epoch,
              trainSums.loss(),
              trainSums.accuracy(),
              val.loss(),
              val.accuracy(),
              rank ? val.meanHrSampled() : Double.NaN,
              rank ? val.meanNdcgSampled() : Double.NaN,
              rank ? val.meanHrFull() : Double.NaN,
              rank ? val.meanNdcgFull() : Double.NaN,
              trainRows / fitSeconds,
              wall);
      history.add(m);
      if (m.ranked()) {
        if (m.valNdcg10Full() > bestNdcg) {
          bestNdcg = m.valNdcg10Full();
          bestEpoch = epoch;
          withoutImprovement = 0;
        } else {
          withoutImprovement++;
        }
      }
      describe("epoch " + epoch + "/" + config.epochs() + ": checkpoint");
      checkpoints.write(
          current,
          new Checkpoints.State(
              epoch,
              bestEpoch,
              bestNdcg,
              withoutImprovement,
              history.stream().map(EpochMetrics::asMap).toList()));
      checkpoints.prune(config.keepCheckpoints(), bestEpoch);
      writeMetrics(out, history);
      epochsRun++;
      double perEpoch = (System.nanoTime() - started) / 1e9 / epochsRun;
      LOG.info(
          String.format(
              Locale.ROOT,
              "epoch %d/%d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | val NDCG@10 full %s"
                  + " sampled %s | %.0f seq/s | %.0f s, about %.0f s left",
              epoch,
              config.epochs(),
              m.trainLoss(),
              m.trainAccuracy(),
              m.valLoss(),
              m.valAccuracy(),
              fmt(m.valNdcg10Full()),
              fmt(m.valNdcg10Sampled()),
              m.trainSeqPerS(),
              wall,
              perEpoch * (config.epochs() - epoch)));
      if (config.patience() > 0 && withoutImprovement >= config.patience()) {
        LOG.info(
            "Early stopping after epoch {}: no better validation NDCG@10 in {} evaluations",
            epoch,
            config.patience());
        break;
      }
    }
    Plots.write(history, out::image, hadoopConf);
    if (bestEpoch == 0) {
      bestEpoch = history.get(history.size() - 1).epoch();
    }
    describe("test metrics of epoch " + bestEpoch);
    MultiLayerNetwork best = checkpoints.load(bestEpoch);
    Broadcast<ModelSnapshot> bestSnapshot =
        sc.broadcast(
            ModelSnapshot.of(
                modelConfig, config.targets(), config.objective(), best.params(), categories));
    EvalSums test = Evaluator.evaluate(rows(data, Split.TEST), bestSnapshot, config.seed(), true);
    bestSnapshot.destroy();
    Result result =
        new Result(
            bestEpoch,
            test.meanHrSampled(),
            test.meanNdcgSampled(),
            test.meanHrFull(),
            test.meanNdcgFull(),
            history);
    writeResults(out, result, best, modelConfig, config, data);
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  static ParameterAveragingTrainingMaster trainingMaster(TrainConfig config, int epoch) {
    return new ParameterAveragingTrainingMaster.Builder(config.workers(), config.batchSize())
        .batchSizePerWorker(config.batchSize())
        .averagingFrequency(config.averagingFrequency())
        .workerPrefetchNumBatches(PREFETCH_BATCHES)
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .repartionData(Repartition.Always)
        .rngSeed(config.seed() * 1_000_003L + epoch)
        .collectTrainingStats(false)
        .build();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private void describe(String what) {
    spark.sparkContext().setJobDescription("TrainSASRec " + what);
  }

  private JavaRDD<ExampleRow> rows(PreprocessLayout data, Split split) {
    // Small Parquet outputs can be a single partition: spread rows over every core for scoring.
    return spark
        .read()
        .parquet(data.sequences(split).toString())
        .javaRDD()
        .map(ExampleRow::of)
        .repartition(sc.defaultParallelism())
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  static void failIfNotFinite(
      MultiLayerNetwork net, double score, int epoch, Checkpoints checkpoints) {
    boolean bad =
        !Double.isFinite(score) || net.params().isNaN().any() || net.params().isInfinite().any();
    if (bad) {
      List<Integer> kept = checkpoints.epochs();
      throw new IllegalStateException(
          "Cannot continue training: the loss is not finite in epoch "
              + epoch
              + " (score "
              + score
              + "); the last good checkpoint is "
              + (kept.isEmpty() ? "none" : checkpoints.zip(kept.get(0)).toString())
              + " (lower --lr and --resume true)");
    }
  }

  private void writeMetrics(TrainLayout out, List<EpochMetrics> history) {
    StringBuilder csv = new StringBuilder(String.join(",", EpochMetrics.COLUMNS)).append('\n');
    StringBuilder jsonl = new StringBuilder();
    ObjectMapper mapper = new ObjectMapper();
    for (EpochMetrics m : history) {
      csv.append(m.csvLine()).append('\n');
      try {
        jsonl.append(mapper.writeValueAsString(m.asMap())).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    writeText(out.metricsCsv(), csv.toString());
    writeText(out.metricsJsonl(), jsonl.toString());
  }

  private void writeRun(
      TrainLayout out,
      TrainConfig config,
      ParameterAveragingTrainingMaster master,
      MultiLayerNetwork net) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("options", new java.util.TreeMap<>(config.resolvedOptions()));
    run.put("trainingMaster", master.toJson());
    run.put("network", net.getLayerWiseConfigurations().toJson());
    new JsonFiles(hadoopConf).write(out.run(), run);
  }

  private void writeResults(
      TrainLayout out,
      Result r,
      MultiLayerNetwork best,
      ModelConfig modelConfig,
      TrainConfig config,
      PreprocessLayout data) {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("best_epoch", r.bestEpoch());
    results.put("test_hr10_sampled", r.testHr10Sampled());
    results.put("test_ndcg10_sampled", r.testNdcg10Sampled());
    results.put("test_hr10_full", r.testHr10Full());
    results.put("test_ndcg10_full", r.testNdcg10Full());
    JsonFiles json = new JsonFiles(hadoopConf);
    json.write(out.results(), results);
    EpochMetrics bestRow =
        r.history().stream().filter(m -> m.epoch() == r.bestEpoch()).findFirst().orElseThrow();
    writeText(
        out.resultsTable(),
        String.format(
            Locale.ROOT,
            "| metric | value |%n|---|---|%n| best epoch (validation NDCG@10, full) | %d |%n"
                + "| validation NDCG@10 full / sampled | %.4f / %.4f |%n"
                + "| test HR@10 sampled (100 negatives) | %.4f |%n| test NDCG@10 sampled | %.4f |%n"
                + "| test HR@10 full ranking | %.4f |%n| test NDCG@10 full ranking | %.4f |%n"
                + "| train sequences/s (last epoch) | %.0f |%n",
            r.bestEpoch(),
            bestRow.valNdcg10Full(),
            bestRow.valNdcg10Sampled(),
            r.testHr10Sampled(),
            r.testNdcg10Sampled(),
            r.testHr10Full(),
            r.testNdcg10Full(),
            r.history().get(r.history().size() - 1).trainSeqPerS()));
    try {
      FileSystem fs = out.modelDir().root().getFileSystem(hadoopConf);
      fs.mkdirs(out.modelDir().root());
      try (OutputStream o = fs.create(out.model(), true)) {
        org.deeplearning4j.util.ModelSerializer.writeModel(best, o, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write model: " + e.getMessage() + " (" + out.model() + ")", e);
    }
    json.write(
        out.modelConfig(),
        new ModelCard(
            modelConfig,
            config.targets(),
            config.objective(),
            r.bestEpoch(),
            data.root().toString(),
            data.items().toString(),
            data.users().toString()));
  }

  private void writeText(Path path, String text) {
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      try (OutputStream o = fs.create(path, true)) {
        o.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
    }
  }
}
