package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.SparkTestSession;
import dev.sasrec.config.CommandLine;
import dev.sasrec.config.UsageException;
import dev.sasrec.io.TrainLayout;
import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.preprocess.PreprocessJob;
import dev.sasrec.recommend.RecommendConfig;
import dev.sasrec.recommend.RecommendJob;
import dev.sasrec.sample.SampleConfig;
import dev.sasrec.sample.SyntheticLog;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CAFE end to end: Preprocess with item metadata, TrainSASRec --model cafe, then Recommend. */
@Tag("spark")
class CafeTrainingTest {

  private static final int USERS = 150;
  private static final int ITEMS = 60;
  private static final int EVENTS = 4000;
  private static final int CATEGORIES = 4;
  private static final int K = 5;
  private static final String EPOCHS = "6";
  private static final String LEARNING_RATE = "0.01";

  @TempDir static Path dir;

  private static final SparkSession SPARK = SparkTestSession.get();

  @BeforeAll
  static void prepare() throws Exception {
    Path log = dir.resolve("events.csv");
    try (Writer w = Files.newBufferedWriter(log)) {
      new SyntheticLog(
              new SampleConfig(
                  "unused", USERS, ITEMS, EVENTS, 9, 0.001, 0.002, 0.75, 0.8, 0, 1_000_000, true))
          .write(w);
    }
    List<String> meta = new ArrayList<>(List.of("item_id,category"));
    for (int item = 1; item <= ITEMS; item++) {
      meta.add(item + ",genre" + (item % CATEGORIES) + "|other");
    }
    Files.write(dir.resolve("items.csv"), meta);
    preprocess("prep", "--item-meta", dir.resolve("items.csv").toString());
    preprocess("prep-plain");
  }

  private static void preprocess(String output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                dir.resolve("events.csv").toString(),
                "--output",
                dir.resolve(output).toString(),
                "--max-len",
                "10"));
    args.addAll(List.of(extra));
    new PreprocessJob(SPARK)
        .run(
            PreprocessConfig.from(
                new CommandLine(PreprocessConfig.OPTIONS.load())
                    .parse(args.toArray(String[]::new))
                    .options()));
  }

  private static TrainConfig config(String prep, String output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--model",
                "cafe",
                "--input",
                dir.resolve(prep).toString(),
                "--output",
                dir.resolve(output).toString(),
                "--epochs",
                "2",
                "--workers",
                "2",
                "--batch-size",
                "32",
                "--hidden",
                "8",
                "--blocks",
                "1",
                "--heads",
                "1",
                "--ffn",
                "16",
                "--patience",
                "0"));
    args.addAll(List.of(extra));
    return TrainConfig.from(
        new CommandLine(TrainConfig.OPTIONS.load()).parse(args.toArray(String[]::new)).options());
  }

  /** NDCG@10 of a target ranked uniformly at random among the catalogue's items. */
  private static double randomNdcg10() {
    double sum = 0;
    for (int rank = 0; rank < 10; rank++) {
      sum += 1 / (Math.log(rank + 2) / Math.log(2));
    }
    return sum / ITEMS;
  }

  /**
   * The synthetic log follows per-item successors (the learnable pattern): CAFE must learn them,
   * not only produce metrics in range. Measured: train loss 3.08 → 2.65 and validation NDCG@10
   * (full) 0.145 → 0.219 over 6 epochs; a random ranking scores 0.076.
   */
  @Test
  void cafeLearnsAndRecommends() {
    TrainJob.Result result =
        new TrainJob(SPARK).run(config("prep", "run", "--epochs", EPOCHS, "--lr", LEARNING_RATE));
    List<EpochMetrics> history = result.history();
    assertThat(history).hasSize(Integer.parseInt(EPOCHS));
    EpochMetrics first = history.get(0);
    EpochMetrics last = history.get(history.size() - 1);
    assertThat(last.trainLoss()).isFinite().isLessThan(0.95 * first.trainLoss());
    assertThat(last.valLoss()).isLessThan(first.valLoss());
    assertThat(last.valNdcg10Full()).isGreaterThan(first.valNdcg10Full());
    assertThat(last.valNdcg10Full()).isGreaterThan(2 * randomNdcg10());
    assertThat(result.testHr10Sampled()).isBetween(0.0, 1.0);
    assertThat(
            Files.exists(Path.of(TrainLayout.at(dir.resolve("run").toString()).model().toString())))
        .isTrue();

    String recs = dir.resolve("recs").toString();
    RecommendJob.Result recommended =
        new RecommendJob(SPARK)
            .run(
                RecommendConfig.from(
                    new CommandLine(RecommendConfig.OPTIONS.load())
                        .parse(
                            new String[] {
                              "--model",
                              dir.resolve("run/model").toString(),
                              "--input",
                              dir.resolve("prep").toString(),
                              "--output",
                              recs,
                              "--k",
                              String.valueOf(K)
                            })
                        .options()));
    assertThat(recommended.rows()).isEqualTo(recommended.lists() * K);
    List<Row> rows = SPARK.read().parquet(recs + "/recommendations").collectAsList();
    assertThat(rows).isNotEmpty();
    assertThat(rows).allSatisfy(r -> assertThat(r.<Float>getAs("score")).isFinite());
  }

  @Test
  void cafeWithoutItemCategoriesIsRefusedNamingTheInput() {
    assertThatThrownBy(() -> new TrainJob(SPARK).run(config("prep-plain", "run-plain")))
        .hasMessageContaining("Cannot train CAFE")
        .hasMessageContaining("--item-meta")
        .hasMessageContaining("prep-plain");
  }

  @Test
  void cafeTrainsWithBceOnly() {
    assertThatThrownBy(() -> config("prep", "run-gbce", "--loss", "gbce"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--loss");
  }
}
