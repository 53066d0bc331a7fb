package dev.sasrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.SparkTestSession;
import dev.sasrec.TestFiles;
import dev.sasrec.config.CommandLine;
import dev.sasrec.config.OptionTable;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.ModelDir;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * Recommend on a small (untrained, random) model: the ranking must follow a direct forward pass.
 */
@Tag("spark")
class RecommendJobTest {

  @TempDir static Path dir;

  private static final SparkSession SPARK = SparkTestSession.get();
  private static final int K = 3;
  private static ModelConfig model;
  private static MultiLayerNetwork net;

  @BeforeAll
  static void prepare() throws Exception {
    Path log =
        TestFiles.write(
            dir,
            "log.csv",
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
            "u3,b,5");
    String[] args = {
      "--input",
      log.toString(),
      "--output",
      dir.resolve("prep").toString(),
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
                new CommandLine(OptionTable.load("preprocess")).parse(args).options()));
    model =
        ModelConfig.builder()
            .items(8)
            .maxLen(4)
            .hidden(8)
            .blocks(1)
            .heads(2)
            .ffn(16)
            .dropout(0.0)
            .activation(ModelConfig.Activation.GELU)
            .build();
    net = SASRecNetwork.create(model, SASRec.Targets.ALL, 1e-3, 3);
    File modelDir = dir.resolve("run/model").toFile();
    modelDir.mkdirs();
    ModelSerializer.writeModel(net, new File(modelDir, ModelDir.MODEL_FILE), false);
    PreprocessLayout data = PreprocessLayout.at(dir.resolve("prep").toString());
    new JsonFiles(new Configuration())
        .write(
            new org.apache.hadoop.fs.Path(new File(modelDir, ModelDir.CONFIG_FILE).toString()),
            new ModelCard(
                model,
                SASRec.Targets.ALL,
                Objective.BCE,
                1,
                data.root().toString(),
                data.items().toString(),
                data.users().toString()));
  }

  private static RecommendJob.Result run(String output, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--model",
                dir.resolve("run/model").toString(),
                "--input",
                dir.resolve("prep").toString(),
                "--output",
                output,
                "--k",
                String.valueOf(K)));
    args.addAll(List.of(extra));
    return new RecommendJob(SPARK)
        .run(
            RecommendConfig.from(
                new CommandLine(OptionTable.load("recommend"))
                    .parse(args.toArray(String[]::new))
                    .options()));
  }

  @Test
  void topKPerUserWithoutSeenItemsMatchesADirectForwardPass() {
    String output = dir.resolve("recs").toString();
    RecommendJob.Result result = run(output, "--export-embeddings", "true");
    assertThat(result.lists()).isEqualTo(3);
    assertThat(result.rows()).isEqualTo(3L * K);
    List<Row> rows =
        SPARK
            .read()
            .parquet(output + "/recommendations")
            .orderBy("user_index", "rank")
            .collectAsList();
    Map<String, Integer> itemIndex = new java.util.HashMap<>();
    for (Row r : SPARK.read().parquet(dir.resolve("prep/items").toString()).collectAsList()) {
      itemIndex.put(r.getString(1), r.getInt(0));
    }
    // u1 has seen a, b, c, d: none of them may come back.
    List<String> u1 =
        rows.stream()
            .filter(r -> r.getString(0).equals("u1"))
            .map(r -> r.<String>getAs("item_id"))
            .toList();
    assertThat(u1).hasSize(K).doesNotContain("a", "b", "c", "d");
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
    java.util.Set<Integer> seen =
        java.util.Set.of(
            itemIndex.get("a"), itemIndex.get("b"), itemIndex.get("c"), itemIndex.get("d"));
    int best = -1;
    for (int item = 1; item < scores.length; item++) {
      if (!seen.contains(item) && (best < 0 || scores[item] > scores[best])) {
        best = item;
      }
    }
    Row top = rows.stream().filter(r -> r.getString(0).equals("u1")).findFirst().orElseThrow();
    assertThat(top.<Integer>getAs("item_index")).isEqualTo(best);
    assertThat(SPARK.read().parquet(output + "/embeddings").count()).isEqualTo(8);
  }

  @Test
  void perSessionAndSeenItemsKept() {
    String output = dir.resolve("recs-all").toString();
    RecommendJob.Result result =
        run(output, "--per", "session", "--exclude-seen", "false", "--k", "8");
    assertThat(result.rows()).isEqualTo(3L * 8);
  }

  @Test
  void topKBreaksTiesByIndexAndSkipsPadding() {
    float[] scores = {100f, 1f, 3f, 3f, 2f};
    assertThat(TopK.of(scores, 2, new int[] {})).containsExactly(2, 3);
    assertThat(TopK.of(scores, 3, new int[] {2})).containsExactly(3, 4, 1);
    assertThat(TopK.of(scores, 10, new int[] {})).containsExactly(2, 3, 4, 1);
  }
}
