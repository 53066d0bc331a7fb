package dev.sasrec.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.TrainLayout;
import dev.sasrec.model.ModelCard;
import dev.sasrec.text.Figures;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The files of a run directory ({@link TrainLayout}) besides the checkpoints: run.json, the
 * per-epoch metrics and plots, the results and the best model.
 */
final class RunDirectory implements Trainer.MetricsSink, AutoCloseable {

  private final TrainLayout layout;
  private final Configuration hadoopConf;
  private final JsonFiles json;
  private final String objective;

  /**
   * Writes each epoch's metrics files and draws its plots beside the next epoch: rendering three
   * charts took about a second of every ML-1M epoch, and the two small files about 0.08 s (the
   * local file system forks chmod for each file and its checksum). Nothing reads them until the
   * results are written, and a resumed run rewrites them from its checkpoint's history. One daemon
   * thread, so epochs are written in order and never keep the JVM alive.
   */
  private final ExecutorService writer = BackgroundWriter.named("sasrec-run-files");

  private Future<?> files = CompletableFuture.completedFuture(null);

  /** {@code objective}: the training loss's name on the plots (BCE, gBCE). */
  RunDirectory(TrainLayout layout, Configuration hadoopConf, String objective) {
    this.layout = layout;
    this.hadoopConf = hadoopConf;
    this.json = new JsonFiles(hadoopConf);
    this.objective = objective;
  }

  /** run.json: the resolved options, the training master's settings and the network's JSON. */
  void writeRun(TrainConfig config, String masterSettings, MultiLayerNetwork net) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("options", new TreeMap<>(config.resolvedOptions()));
    run.put("trainingMaster", masterSettings);
    run.put("network", net.getLayerWiseConfigurations().toJson());
    json.write(layout.run(), run);
  }

  /**
   * metrics.csv, metrics.jsonl and the plots, rewritten with every epoch so far (a running job can
   * be watched), beside the next epoch. The previous epoch's are awaited first, so a failure to
   * write them stops the run one epoch later at the latest.
   */
  @Override
  public void epochEnded(List<EpochMetrics> history) {
    awaitFiles();
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
    List<EpochMetrics> snapshot = List.copyOf(history);
    files =
        writer.submit(
            () -> {
              writeText(layout.metricsCsv(), csv.toString());
              writeText(layout.metricsJsonl(), jsonl.toString());
              Plots.write(snapshot, objective, layout::image, hadoopConf);
            });
  }

  /** Waits for the newest epoch's files (all earlier ones were written before them). */
  private void awaitFiles() {
    try {
      files.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot write the metrics and plots: interrupted", e);
    } catch (ExecutionException e) {
      files = CompletableFuture.completedFuture(null);
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(
              "Cannot write the metrics and plots: " + e.getCause(), e.getCause());
    }
  }

  /** Waits for the files in flight, then stops the writer: a failed run leaves no write behind. */
  @Override
  public void close() {
    try {
      awaitFiles();
    } finally {
      writer.shutdown();
    }
  }

  /** results.json and results.md: the best epoch's test metrics. */
  void writeResults(TrainJob.Result r) {
    awaitFiles();
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("best_epoch", r.bestEpoch());
    results.put("test_hr10_sampled", r.testHr10Sampled());
    results.put("test_ndcg10_sampled", r.testNdcg10Sampled());
    results.put("test_hr10_full", r.testHr10Full());
    results.put("test_ndcg10_full", r.testNdcg10Full());
    json.write(layout.results(), results);
    EpochMetrics bestRow =
        r.history().stream().filter(m -> m.epoch() == r.bestEpoch()).findFirst().orElseThrow();
    String table =
        String.format(
            Locale.ROOT,
            "| metric | value |%n|---|---|%n| best epoch (validation NDCG@10, full) | %d |%n"
                + "| validation NDCG@10 full / sampled | %.4f / %.4f |%n"
                + "| test HR@10 sampled (100 negatives) | %.4f |%n| test NDCG@10 sampled | %.4f |%n"
                + "| test HR@10 full ranking | %.4f |%n| test NDCG@10 full ranking | %.4f |%n"
                + "| train sequences/s (last epoch) | %s |%n",
            r.bestEpoch(),
            bestRow.valNdcg10Full(),
            bestRow.valNdcg10Sampled(),
            r.testHr10Sampled(),
            r.testNdcg10Sampled(),
            r.testHr10Full(),
            r.testNdcg10Full(),
            Figures.rate(r.history().get(r.history().size() - 1).trainSeqPerS()));
    String note =
        LossAndRanking.note(r.history(), r.bestEpoch())
            .map(n -> String.format(Locale.ROOT, "%n%s%n", n))
            .orElse("");
    writeText(layout.resultsTable(), table + note);
  }

  /** model/: the network without its updater state, and its model card. */
  void writeModel(MultiLayerNetwork best, ModelCard card) {
    layout.modelDir().save(best, card, hadoopConf);
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
