package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sasrec.LogCapture;
import dev.sasrec.SparkTestSession;
import dev.sasrec.config.CommandLine;
import dev.sasrec.io.TrainLayout;
import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.preprocess.PreprocessJob;
import dev.sasrec.sample.SampleConfig;
import dev.sasrec.sample.SyntheticLog;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preprocess → TrainSASRec end to end on a MiniDFSCluster (local[2], 2 workers), then --resume for
 * one more epoch, compared with an uninterrupted run; gSASRec through the same job.
 */
@Tag("spark")
class TrainJobTest {

  @TempDir static Path dir;

  private static MiniDFSCluster cluster;
  private static FileSystem hdfs;
  private static String root;
  private static final SparkSession SPARK = SparkTestSession.get();

  @BeforeAll
  static void prepare() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(dir.toFile(), "dfs").getAbsolutePath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = cluster.getFileSystem();
    root = hdfs.getUri().toString();
    Path log = dir.resolve("events.csv");
    try (Writer w = Files.newBufferedWriter(log)) {
      new SyntheticLog(
              new SampleConfig(
                  "unused", 200, 80, 6000, 5, 0.001, 0.002, 0.75, 0.8, 0, 1_000_000, true))
          .write(w);
    }
    hdfs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(log.toString()),
        new org.apache.hadoop.fs.Path(root + "/logs/events.csv"));
    String[] args = {
      "--input", root + "/logs/events.csv", "--output", root + "/prep", "--max-len", "20"
    };
    new PreprocessJob(SPARK)
        .run(
            PreprocessConfig.from(
                new CommandLine(PreprocessConfig.OPTIONS.load()).parse(args).options()));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  static TrainConfig config(String output, int epochs, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                root + "/prep",
                "--output",
                output,
                "--epochs",
                String.valueOf(epochs),
                "--workers",
                "2",
                "--batch-size",
                "32",
                "--averaging-frequency",
                "2",
                "--hidden",
                "16",
                "--blocks",
                "1",
                "--heads",
                "2",
                "--ffn",
                "32",
                "--lr",
                "0.005",
                "--patience",
                "0"));
    args.addAll(List.of(extra));
    return TrainConfig.from(
        new CommandLine(TrainConfig.OPTIONS.load()).parse(args.toArray(String[]::new)).options());
  }

  private static List<String> lines(String uri) throws Exception {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                path.getFileSystem(new Configuration()).open(path), StandardCharsets.UTF_8))) {
      return r.lines().toList();
    }
  }

  @Test
  void trainsOnHdfsAndResumesToTheSameMetricsAsAnUninterruptedRun() throws Exception {
    String run = root + "/runs/resumed";
    TrainJob.Result first;
    try (LogCapture log = LogCapture.of(FitProgress.class)) {
      // Constant: --epochs grows on resume below, and a cosine over 3 epochs is another curve.
      first = new TrainJob(SPARK).run(config(run, 2, "--lr-schedule", "constant"));
      // At least one progress line per epoch, from the steps' sums the workers sent back.
      for (int epoch = 1; epoch <= 2; epoch++) {
        String prefix = "epoch " + epoch + "/2";
        assertThat(log.messages())
            .as("progress of epoch %d", epoch)
            .anyMatch(
                line ->
                    line.matches(
                            "epoch \\d/2: [\\d,]+/[\\d,]+ sequences \\(\\d+%\\), train loss \\d\\.\\d{4}"
                                + " acc \\d\\.\\d{4} \\(running\\), [\\d.,]+ seq/s, (epoch left .+, run"
                                + " left .+|time left: estimating after the first rounds)")
                        && line.startsWith(prefix));
      }
    }
    assertThat(first.history()).hasSize(2);
    // train_loss is the running mean of the fit's steps: finite, and learning lowers it.
    assertThat(first.history().get(1).trainLoss()).isLessThan(first.history().get(0).trainLoss());
    assertThat(first.history()).allMatch(m -> m.fitS() > 0 && m.fitS() < m.wallS());
    TrainLayout layout = TrainLayout.at(run);
    for (String image : Plots.NAMES) {
      assertThat(hdfs.exists(layout.image(image))).as(image).isTrue();
    }
    assertThat(hdfs.exists(layout.model())).isTrue();
    assertThat(hdfs.exists(layout.results())).isTrue();
    assertThat(hdfs.exists(layout.modelDir().items())).isTrue();
    assertThat(hdfs.exists(config(run, 1).outputTarget().staging())).isFalse();
    assertThat(lines(layout.metricsCsv().toString()).get(0))
        .isEqualTo(
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy,val_hr10_sampled,"
                + "val_ndcg10_sampled,val_hr10_full,val_ndcg10_full,train_seq_per_s,wall_s,fit_s,lr");

    TrainJob.Result resumed =
        new TrainJob(SPARK).run(config(run, 3, "--resume", "true", "--lr-schedule", "constant"));
    assertThat(resumed.history()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
    assertThat(lines(layout.metricsJsonl().toString())).hasSize(3);
    assertThat(hdfs.exists(new org.apache.hadoop.fs.Path(layout.checkpoints(), "epoch-0003.zip")))
        .isTrue();

    String straight = dir.resolve("straight").toString();
    TrainJob.Result uninterrupted =
        new TrainJob(SPARK).run(config(straight, 3, "--lr-schedule", "constant"));
    for (int e = 0; e < 3; e++) {
      EpochMetrics a = resumed.history().get(e);
      EpochMetrics b = uninterrupted.history().get(e);
      assertThat(a.trainLoss())
          .as("train loss, epoch %d", e + 1)
          .isCloseTo(b.trainLoss(), within(1e-4));
      assertThat(a.valLoss()).as("val loss, epoch %d", e + 1).isCloseTo(b.valLoss(), within(1e-4));
      assertThat(a.valNdcg10Full()).isCloseTo(b.valNdcg10Full(), within(1e-4));
    }
    assertThat(resumed.testNdcg10Full()).isCloseTo(uninterrupted.testNdcg10Full(), within(1e-4));
    // Learning happened: better than the first epoch's loss, and full-ranking hits exist.
    assertThat(resumed.history().get(2).trainLoss())
        .isLessThan(resumed.history().get(0).trainLoss());
    assertThat(resumed.testHr10Full()).isPositive();
  }

  @Test
  void gsasrecTrainsThroughTheSameJob() throws Exception {
    String run = root + "/runs/gsasrec";
    TrainJob.Result result =
        new TrainJob(SPARK)
            .run(
                config(
                    run, 3, "--loss", "gbce", "--negatives", "16", "--output-table", "separate"));
    assertThat(result.history()).hasSize(3);
    TrainLayout layout = TrainLayout.at(run);
    assertThat(hdfs.exists(layout.model())).isTrue();
    assertThat(String.join("\n", lines(layout.run().toString())))
        .contains("\"loss\" : \"gbce\"")
        .contains("\"negatives\" : \"16\"");
    // gBCE's loss starts near its equal-scores optimum (the score offset) and still goes down.
    assertThat(result.history().get(2).trainLoss()).isLessThan(result.history().get(0).trainLoss());
    assertThat(result.testHr10Full()).isPositive();
  }

  @Test
  void aCorruptNewestCheckpointIsSkippedOnResume() throws Exception {
    String run = dir.resolve("corrupt").toString();
    new TrainJob(SPARK).run(config(run, 2, "--eval-every", "2"));
    Checkpoints checkpoints =
        new Checkpoints(TrainLayout.at(run).checkpoints(), new Configuration());
    Files.writeString(Path.of(checkpoints.zip(2).toString()), "not a zip");
    assertThat(checkpoints.newest()).get().extracting(l -> l.state().epoch()).isEqualTo(1);
    TrainJob.Result resumed = new TrainJob(SPARK).run(config(run, 2, "--resume", "true"));
    assertThat(resumed.history()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
  }

  @Test
  void aFailedRunLeavesTheRunAsItWasAndARetryContinuesFromItsStagingWithTheNewRate()
      throws Exception {
    String run = dir.resolve("diverged").toString();
    new TrainJob(SPARK).run(config(run, 1));
    List<String> oneEpoch = lines(run + "/metrics.csv");
    // A rate this large diverges in the second epoch: proof that --resume applies the new --lr.
    assertThatThrownBy(
            () -> new TrainJob(SPARK).run(config(run, 2, "--resume", "true", "--lr", "1e30")))
        .hasMessageStartingWith("Cannot continue training: the loss is not finite in epoch 2");
    assertThat(lines(run + "/metrics.csv")).isEqualTo(oneEpoch);
    Path staging = Path.of(config(run, 1).outputTarget().staging().toString());
    assertThat(staging.resolve("checkpoints/epoch-0001.zip")).exists();
    assertThat(Files.readString(staging.resolve("run.json"))).contains("\"lr\" : \"1e30\"");

    TrainJob.Result resumed =
        new TrainJob(SPARK).run(config(run, 2, "--resume", "true", "--lr", "0.002"));
    assertThat(resumed.history()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
    assertThat(lines(run + "/metrics.csv")).hasSize(3);
    assertThat(String.join("\n", lines(run + "/run.json")))
        .contains("\"lr\" : \"0.002\"")
        // Epoch 2 of a 2-epoch cosine from 0.002.
        .contains("\\\"learningRate\\\" : 0.001");
    assertThat(staging).doesNotExist();
    assertThat(Path.of(run, "model/items")).isDirectory();
  }

  @Test
  void theScheduleSetsEachEpochsRateForTheWorkers() throws Exception {
    TrainJob.Result constant =
        new TrainJob(SPARK)
            .run(config(dir.resolve("constant").toString(), 2, "--lr-schedule", "constant"));
    TrainJob.Result cosine =
        new TrainJob(SPARK)
            .run(config(dir.resolve("cosine").toString(), 2, "--lr-schedule", "cosine"));
    assertThat(cosine.history()).extracting(EpochMetrics::lr).containsExactly(0.005, 0.0025);
    assertThat(constant.history()).extracting(EpochMetrics::lr).containsExactly(0.005, 0.005);
    // The same rate in epoch 1 trains the same steps; half of it in epoch 2 trains other ones.
    assertThat(cosine.history().get(0).trainLoss())
        .isCloseTo(constant.history().get(0).trainLoss(), within(1e-6));
    assertThat(cosine.history().get(1).trainLoss())
        .isNotCloseTo(constant.history().get(1).trainLoss(), within(1e-4));
  }

  @Test
  void resumingWithAnotherModelIsRefusedNamingTheOptionsAndTheRunIsKept() throws Exception {
    String run = dir.resolve("reshaped").toString();
    new TrainJob(SPARK).run(config(run, 1));
    String runJson = Files.readString(Path.of(run, "run.json"));
    assertThatThrownBy(
            () ->
                new TrainJob(SPARK)
                    .run(config(run, 2, "--resume", "true", "--hidden", "8", "--blocks", "2")))
        .hasMessageStartingWith(
            "Cannot resume: the checkpoint was trained with --hidden 16 --blocks 1, this run asks"
                + " --hidden 8 --blocks 2; resume with the checkpoint's options, or start a new run"
                + " without --resume (");
    assertThat(Files.readString(Path.of(run, "run.json"))).isEqualTo(runJson);
  }

  @Test
  void aRunWhoseEveryCheckpointIsCorruptStartsFromEpochOne() throws Exception {
    String run = dir.resolve("all-corrupt").toString();
    new TrainJob(SPARK).run(config(run, 1));
    Files.writeString(Path.of(run, "checkpoints/epoch-0001.zip"), "not a zip");
    TrainJob.Result again = new TrainJob(SPARK).run(config(run, 1, "--resume", "true"));
    assertThat(again.history()).extracting(EpochMetrics::epoch).containsExactly(1);
    try (var listing = Files.list(Path.of(run))) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("checkpoints.unusable-"));
    }
    assertThat(Path.of(run, "checkpoints/epoch-0001.zip")).isNotEmptyFile();
    new Checkpoints(TrainLayout.at(run).checkpoints(), new Configuration()).load(1);
  }

  @Test
  void anExistingRunIsNotOverwrittenByAccident() {
    String run = dir.resolve("exists").toString();
    new File(run).mkdirs();
    assertThatThrownBy(() -> new TrainJob(SPARK).run(config(run, 1)))
        .hasMessageStartingWith("Cannot write run: it already exists");
  }

  @Test
  void aMissingPreprocessOutputIsNamed() {
    TrainConfig c =
        TrainConfig.from(
            new CommandLine(TrainConfig.OPTIONS.load())
                .parse(
                    new String[] {
                      "--input",
                      dir.resolve("nope").toString(),
                      "--output",
                      dir.resolve("out").toString()
                    })
                .options());
    assertThatThrownBy(() -> new TrainJob(SPARK).run(c))
        .hasMessageStartingWith("Cannot use Preprocess output: no _SUCCESS")
        .hasMessageContaining("nope");
  }
}
