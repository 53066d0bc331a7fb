package dev.sasrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sasrec.LogCapture;
import dev.sasrec.SparkTestSession;
import dev.sasrec.TestFiles;
import dev.sasrec.TinyModels;
import dev.sasrec.config.CommandLine;
import dev.sasrec.config.Refusal;
import dev.sasrec.config.UsageException;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.ModelDir;
import dev.sasrec.io.ModelVocabulary;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.ModelCard;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.SASRecNetwork;
import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.preprocess.PreprocessJob;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recommend on small (untrained, random) models: the ranking follows a direct forward pass; the
 * model's own vocabulary decides which item each score is for, whatever indices the Preprocess
 * output gives; every list is accounted for in stats.json; the per-user and JSON outputs read back.
 */
@Tag("spark")
class RecommendJobTest {

  @TempDir static Path dir;

  private static final SparkSession SPARK = SparkTestSession.get();
  private static final int K = 3;
  private static ModelConfig model;
  private static MultiLayerNetwork net;

  /** Monday's log: u1 a b c d, u2 b c e, u3 f g a h b. */
  private static final String[] MONDAY = {
    "user_id,item_id,timestamp",
    "u1,a,1",
    "u1,b,2",
    "u1,c,3",
    "u1,d,4",
    "u2,b,1",
    "u2,c,2",
    "u2,e,3",
    "u3,f,1",
    "u3,g,2",
    "u3,a,3",
    "u3,h,4",
    "u3,b,5"
  };

  /**
   * Tuesday's log: u1's history is the same, but h and g are now the most popular items (other
   * indices), x is new (the model does not know it), and u9 saw nothing the model knows.
   */
  private static final String[] TUESDAY = {
    "user_id,item_id,timestamp",
    "u1,a,1",
    "u1,b,2",
    "u1,c,3",
    "u1,d,4",
    "u4,h,1",
    "u4,g,2",
    "u4,x,3",
    "u5,h,1",
    "u5,g,2",
    "u5,h,3",
    "u6,h,5",
    "u6,g,6",
    "u9,x,1",
    "u9,y,2"
  };

  @BeforeAll
  static void prepare() throws Exception {
    preprocess("monday", MONDAY);
    preprocess("tuesday", TUESDAY);
    preprocess("small", "user_id,item_id,timestamp", "s,a,1", "s,b,2", "s,c,3", "s,a,4");
    preprocess("strange", "user_id,item_id,timestamp", "s,p,1", "s,q,2", "s,r,3", "s,p,4");
    model = TinyModels.config(8, 4);
    net = writeModel("run/model", model, "monday");
    writeModel("small/model", TinyModels.config(3, 4), "small");
  }

  private static void preprocess(String name, String... lines) {
    Path log = TestFiles.write(dir, name + ".csv", lines);
    String[] args = {
      "--input",
      log.toString(),
      "--output",
      dir.resolve(name).toString(),
      "--min-item-count",
      "1",
      "--min-user-count",
      "1",
      "--max-len",
      "4"
    };
    new PreprocessJob(SPARK)
        .run(
            PreprocessConfig.from(
                new CommandLine(PreprocessConfig.OPTIONS.load()).parse(args).options()));
  }

  /** A model directory as TrainSASRec writes it, for the Preprocess output {@code prep}. */
  private static MultiLayerNetwork writeModel(String where, ModelConfig config, String prep)
      throws Exception {
    MultiLayerNetwork network = SASRecNetwork.create(config, SASRec.Targets.ALL, 1e-3, 3);
    File modelDir = dir.resolve(where).toFile();
    modelDir.mkdirs();
    ModelSerializer.writeModel(network, new File(modelDir, ModelDir.MODEL_FILE), false);
    PreprocessLayout data = PreprocessLayout.at(dir.resolve(prep).toString());
    new JsonFiles(new Configuration())
        .write(
            new org.apache.hadoop.fs.Path(new File(modelDir, ModelDir.CONFIG_FILE).toString()),
            new ModelCard(
                config,
                SASRec.Targets.ALL,
                Objective.BCE,
                1,
                data.root().toString(),
                data.items().toString(),
                data.users().toString()));
    ModelVocabulary.write(SPARK, data, ModelDir.at(modelDir.toString()), false);
    return network;
  }

  private static RecommendJob.Result run(
      String model, String input, String output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--model",
                dir.resolve(model).toString(),
                "--input",
                dir.resolve(input).toString(),
                "--output",
                dir.resolve(output).toString(),
                "--k",
                String.valueOf(K)));
    args.addAll(List.of(extra));
    return new RecommendJob(SPARK)
        .run(
            RecommendConfig.from(
                new CommandLine(RecommendConfig.OPTIONS.load())
                    .parse(args.toArray(String[]::new))
                    .options()));
  }

  private static List<Row> rows(String output) {
    return SPARK
        .read()
        .parquet(dir.resolve(output + "/recommendations").toString())
        .orderBy("user_id", "session", "rank")
        .collectAsList();
  }

  /** user id → the list's (item id, score) in rank order. */
  private static Map<String, Map<String, Float>> lists(List<Row> rows) {
    Map<String, Map<String, Float>> lists = new HashMap<>();
    for (Row r : rows) {
      lists
          .computeIfAbsent(r.getAs("user_id"), u -> new LinkedHashMap<>())
          .put(r.getAs("item_id"), r.getAs("score"));
    }
    return lists;
  }

  private static Map<String, Integer> itemIndex(String prep) {
    Map<String, Integer> index = new HashMap<>();
    for (Row r : SPARK.read().parquet(dir.resolve(prep + "/items").toString()).collectAsList()) {
      index.put(r.getString(1), r.getInt(0));
    }
    return index;
  }

  private static JsonNode stats(String output) throws Exception {
    return new ObjectMapper().readTree(Files.readString(dir.resolve(output + "/stats.json")));
  }

  @Test
  void topKPerUserWithoutSeenItemsMatchesADirectForwardPass() throws Exception {
    RecommendJob.Result result = run("run/model", "monday", "recs", "--export-embeddings", "true");
    assertThat(result.lists()).isEqualTo(3);
    assertThat(result.rows()).isEqualTo(3L * K);
    List<Row> rows = rows("recs");
    Map<String, Integer> itemIndex = itemIndex("monday");
    // u1 has seen a, b, c, d: none of them may come back.
    assertThat(lists(rows).get("u1").keySet()).hasSize(K).doesNotContain("a", "b", "c", "d");
    for (Row r : rows) {
      assertThat(itemIndex.get(r.<String>getAs("item_id")))
          .isEqualTo(r.<Integer>getAs("item_index"));
    }
    // The top item of u1 is the argmax of a direct forward pass over unseen items.
    ModelSnapshot snapshot =
        ModelSnapshot.of(
            model, SASRec.Targets.ALL, Objective.BCE, net.params(), ItemCategories.NONE);
    Map<String, INDArray> params = snapshot.views();
    float[] sequence = new float[4];
    String[] history = {"a", "b", "c", "d"};
    for (int t = 0; t < 4; t++) {
      sequence[t] = itemIndex.get(history[t]);
    }
    INDArray hidden = snapshot.model().lastHidden(params, Nd4j.create(new float[][] {sequence}));
    float[] scores =
        hidden.mmul(params.get(ParamLayout.ITEM_EMBEDDING).transpose()).toFloatVector();
    Set<Integer> seen =
        Set.of(itemIndex.get("a"), itemIndex.get("b"), itemIndex.get("c"), itemIndex.get("d"));
    int best = -1;
    for (int item = 1; item < scores.length; item++) {
      if (!seen.contains(item) && (best < 0 || scores[item] > scores[best])) {
        best = item;
      }
    }
    Row top = rows.stream().filter(r -> r.getString(0).equals("u1")).findFirst().orElseThrow();
    assertThat(top.<Integer>getAs("item_index")).isEqualTo(best);
    assertThat(top.<Float>getAs("score")).isCloseTo(scores[best], within(1e-4f));
    List<Row> embeddings =
        SPARK.read().parquet(dir.resolve("recs/embeddings").toString()).collectAsList();
    assertThat(embeddings).hasSize(8);
    for (Row e : embeddings) {
      assertThat(itemIndex.get(e.<String>getAs("item_id")))
          .isEqualTo(e.<Integer>getAs("item_index"));
    }
    JsonNode stats = stats("recs");
    assertThat(stats.get("lists").asLong()).isEqualTo(3);
    assertThat(stats.get("listsWithRecommendations").asLong()).isEqualTo(3);
    assertThat(stats.get("recommendations").asLong()).isEqualTo(9);
    assertThat(stats.get("withoutRecommendation").get("noKnownItem").asLong()).isZero();
    assertThat(stats.get("unknownItemsSkipped").asLong()).isZero();
    assertThat(Files.exists(dir.resolve("recs/_SUCCESS"))).isTrue();
  }

  @Test
  void theSameModelOnAnotherPreprocessOutputRecommendsTheSameItemsByRawId() throws Exception {
    Map<String, Integer> monday = itemIndex("monday");
    Map<String, Integer> tuesday = itemIndex("tuesday");
    assertThat(tuesday.get("a")).as("a is renumbered").isNotEqualTo(monday.get("a"));
    run("run/model", "monday", "recs-monday");
    run("run/model", "tuesday", "recs-tuesday");
    Map<String, Float> u1Monday = lists(rows("recs-monday")).get("u1");
    Map<String, Float> u1Tuesday = lists(rows("recs-tuesday")).get("u1");
    assertThat(u1Tuesday).hasSize(K);
    assertThat(new ArrayList<>(u1Tuesday.keySet())).isEqualTo(new ArrayList<>(u1Monday.keySet()));
    for (String item : u1Monday.keySet()) {
      assertThat(u1Tuesday.get(item)).isCloseTo(u1Monday.get(item), within(1e-5f));
    }
    // Results carry the model's indices, not Tuesday's.
    for (Row r : rows("recs-tuesday")) {
      assertThat(monday.get(r.<String>getAs("item_id"))).isEqualTo(r.<Integer>getAs("item_index"));
    }
    // u9 saw only x and y, which the model does not know; u4's x is skipped.
    assertThat(lists(rows("recs-tuesday"))).doesNotContainKey("u9");
    JsonNode stats = stats("recs-tuesday");
    assertThat(stats.get("lists").asLong()).isEqualTo(5);
    assertThat(stats.get("listsWithRecommendations").asLong()).isEqualTo(4);
    assertThat(stats.get("withoutRecommendation").get("noKnownItem").asLong()).isEqualTo(1);
    assertThat(stats.get("unknownItemsSkipped").asLong()).isEqualTo(1 + 2);
    assertThat(stats.get("inputItems").asInt()).isEqualTo(8);
    assertThat(stats.get("inputItemsKnown").asInt()).isEqualTo(6);
  }

  @Test
  void listsWithoutRecommendationsAreCountedByReason() throws Exception {
    // The small model knows a, b and c only: u1 (a b c d) has seen all of them, u2 (b c e) gets a
    // alone, fewer than k.
    RecommendJob.Result result = run("small/model", "monday", "recs-small", "--k", "2");
    Map<String, Map<String, Float>> lists = lists(rows("recs-small"));
    assertThat(lists).doesNotContainKey("u1");
    assertThat(lists.get("u2").keySet()).containsExactly("a");
    assertThat(lists.get("u3").keySet()).containsExactly("c");
    JsonNode stats = stats("recs-small");
    assertThat(stats.get("withoutRecommendation").get("allItemsSeen").asLong()).isEqualTo(1);
    assertThat(stats.get("withoutRecommendation").get("noKnownItem").asLong()).isZero();
    assertThat(stats.get("fewerThanK").asLong()).isEqualTo(2);
    assertThat(stats.get("recommendations").asLong()).isEqualTo(2);
    assertThat(result.lists()).isEqualTo(2);
  }

  @Test
  void perUserLayoutAsParquetAndJsonLinesReadsBackAsTheRows() throws Exception {
    run("run/model", "monday", "recs-rows");
    run("run/model", "monday", "recs-per-user", "--layout", "per-user");
    run("run/model", "monday", "recs-json", "--layout", "per-user", "--format", "json");
    Map<String, Map<String, Float>> expected = lists(rows("recs-rows"));
    List<Row> parquet =
        SPARK
            .read()
            .parquet(dir.resolve("recs-per-user/recommendations").toString())
            .collectAsList();
    assertThat(parquet.get(0).schema().fieldNames()).containsExactly("user_id", "items", "scores");
    assertThat(perUser(parquet)).isEqualTo(expected);
    List<String> lines;
    try (var files = Files.list(dir.resolve("recs-json/recommendations"))) {
      lines =
          files
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .flatMap(
                  p -> {
                    try {
                      return Files.readAllLines(p).stream();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    assertThat(lines).hasSize(3);
    Map<String, Map<String, Float>> fromJson = new HashMap<>();
    for (String line : lines) {
      JsonNode record = new ObjectMapper().readTree(line);
      Map<String, Float> list = new LinkedHashMap<>();
      for (int i = 0; i < record.get("items").size(); i++) {
        list.put(
            record.get("items").get(i).asText(), (float) record.get("scores").get(i).asDouble());
      }
      fromJson.put(record.get("user_id").asText(), list);
    }
    assertThat(fromJson.keySet()).isEqualTo(expected.keySet());
    for (String user : expected.keySet()) {
      assertThat(new ArrayList<>(fromJson.get(user).keySet()))
          .isEqualTo(new ArrayList<>(expected.get(user).keySet()));
      for (String item : expected.get(user).keySet()) {
        assertThat(fromJson.get(user).get(item))
            .isCloseTo(expected.get(user).get(item), within(1e-5f));
      }
    }
    assertThat(stats("recs-json").get("layout").asText()).isEqualTo("per-user");
  }

  private static Map<String, Map<String, Float>> perUser(List<Row> records) {
    Map<String, Map<String, Float>> lists = new HashMap<>();
    for (Row r : records) {
      List<String> items = r.getList(r.fieldIndex("items"));
      List<Float> scores = r.getList(r.fieldIndex("scores"));
      Map<String, Float> list = new LinkedHashMap<>();
      for (int i = 0; i < items.size(); i++) {
        list.put(items.get(i), scores.get(i));
      }
      lists.put(r.getAs("user_id"), list);
    }
    return lists;
  }

  @Test
  void theStepLinesNameTheOutputAskedForNotTheStagingDirectory() {
    List<String> lines;
    try (LogCapture log = LogCapture.of(RecommendJob.class)) {
      run("run/model", "monday", "named");
      lines = log.messages();
    }
    String output = dir.resolve("named").toString();
    assertThat(lines)
        .anyMatch(
            l -> l.startsWith("Recommend: step 3/4: ") && l.endsWith(output + "/recommendations"))
        .anyMatch(l -> l.equals("Recommend: step 4/4: write " + output + "/stats.json"))
        .noneMatch(l -> l.contains("_temporary") || l.contains("_named."));
  }

  @Test
  void perSessionAndSeenItemsKept() {
    RecommendJob.Result result =
        run(
            "run/model",
            "monday",
            "recs-all",
            "--per",
            "session",
            "--exclude-seen",
            "false",
            "--k",
            "8");
    assertThat(result.rows()).isEqualTo(3L * 8);
  }

  @Test
  void aKAboveTheModelsItemsIsABadOption() {
    assertThatThrownBy(() -> run("small/model", "monday", "recs-k", "--k", "2147483647"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "Cannot parse option --k: must be at most the model's 3 items ("
                + dir.resolve("small/model")
                + ") ('2147483647')");
    assertThat(dir.resolve("recs-k")).doesNotExist();
  }

  @Test
  void anInputThatSharesNoItemWithTheModelIsRefusedNamingBoth() {
    assertThatThrownBy(() -> run("small/model", "strange", "recs-strange"))
        .isInstanceOf(Refusal.class)
        .hasMessage(
            "Cannot recommend: none of the input's 3 items is among the model's 3; pass a"
                + " Preprocess output of the log the model was trained on ("
                + dir.resolve("strange")
                + ", "
                + dir.resolve("small/model")
                + ")");
    assertThat(dir.resolve("recs-strange")).doesNotExist();
  }

  @Test
  void partitionsAreAMultipleOfTheCores() {
    assertThat(RecommendJob.partitions(6040, 2)).isEqualTo(4);
    assertThat(RecommendJob.partitions(10, 2)).isEqualTo(2);
    assertThat(RecommendJob.partitions(0, 8)).isEqualTo(8);
    assertThat(RecommendJob.partitions(100_000, 8)).isEqualTo(56);
  }
}
