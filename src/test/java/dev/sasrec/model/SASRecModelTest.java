package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

class SASRecModelTest {

  private static ModelConfig.Builder seed() {
    return ModelConfig.builder()
        .items(83631)
        .maxLen(50)
        .hidden(128)
        .blocks(3)
        .heads(2)
        .ffn(512)
        .dropout(0.2)
        .activation(ModelConfig.Activation.GELU);
  }

  private static Map<String, Long> parts(ModelConfig c) {
    Map<String, Long> parts = new LinkedHashMap<>();
    for (ParamLayout.Part part : new ParamLayout(c).parts()) {
      parts.put(part.name(), part.length());
    }
    return parts;
  }

  @Test
  void theSeedConfigurationHasExactlyTheSeedsParameterCount() {
    ParamLayout layout = new ParamLayout(seed().build());
    assertThat(layout.numParams()).isEqualTo(11_306_368L);
    Map<String, Long> parts = parts(seed().build());
    assertThat(parts.keySet())
        .startsWith("item embedding", "positional embedding", "embedding LayerNorm")
        .contains("block 0 LayerNorm 1", "block 0 attention", "block 2 feed-forward")
        .hasSize(3 + 3 * 4);
    assertThat(parts.get("item embedding")).isEqualTo(10_704_896L);
    assertThat(parts.get("positional embedding")).isEqualTo(6_400L);
    assertThat(parts.get("embedding LayerNorm")).isEqualTo(256L);
    // Q, K, V as one [d, 3d] product plus the output projection: 4 (d² + d).
    assertThat(parts.get("block 1 attention")).isEqualTo(66_048L);
    assertThat(parts.get("block 1 feed-forward")).isEqualTo(131_712L);
    assertThat(layout.params()).extracting(ParamLayout.Param::key).contains("b0Wqkv", "b2Bqkv");
  }

  @Test
  void cafeAddsAWholeCategoryEncoderUnderItsPrefix() {
    ModelConfig cafe = seed().categories(18).build();
    ParamLayout layout = new ParamLayout(cafe);
    assertThat(layout.numParams()).isEqualTo(11_910_272L);
    Map<String, Long> parts = parts(cafe);
    assertThat(parts.get("category embedding")).isEqualTo(19L * 128);
    assertThat(parts.get("category block 2 feed-forward")).isEqualTo(131_712L);
    assertThat(layout.params())
        .allSatisfy(p -> assertThat(p.key()).doesNotContain("_"))
        .extracting(ParamLayout.Param::key)
        .contains("catitemEmb", "catb2Wqkv")
        .doesNotHaveDuplicates();
    assertThat(parts(seed().separateOutput(true).build()))
        .containsEntry("output item table", 10_704_896L);
  }

  @Test
  void theFusedProjectionIsInitializedAsThreeSquareMatrices() {
    ParamLayout.Param qkv =
        new ParamLayout(seed().build())
            .params().stream().filter(p -> p.key().equals("b0Wqkv")).findFirst().orElseThrow();
    assertThat(qkv.shape()).containsExactly(128, 384);
    assertThat(qkv.xavierStd()).isEqualTo(Math.sqrt(2.0 / (128 + 128)));
  }

  @Test
  void changingALaterItemDoesNotChangeEarlierOutputs() {
    TinyModel m = new TinyModel(TinyModel.config(true, ModelConfig.Activation.GELU), 5);
    SASRec model = new SASRec(m.config, SASRec.Targets.ALL);
    INDArray before =
        model.hidden(m.params, TinyModel.rows(new double[][] {{0, 1, 2, 3}}), false, null);
    INDArray after =
        model.hidden(m.params, TinyModel.rows(new double[][] {{0, 1, 2, 6}}), false, null);
    for (int position = 1; position < 3; position++) {
      assertThat(after.getRow(position).equalsWithEps(before.getRow(position), 1e-12))
          .as("position %d", position)
          .isTrue();
    }
    assertThat(after.getRow(3).equalsWithEps(before.getRow(3), 1e-6)).isFalse();
  }

  @Test
  void dropoutActsInTrainingOnly() {
    ModelConfig c =
        ModelConfig.builder()
            .items(7)
            .maxLen(4)
            .hidden(4)
            .blocks(2)
            .heads(2)
            .ffn(8)
            .dropout(0.5)
            .activation(ModelConfig.Activation.GELU)
            .build();
    TinyModel m = new TinyModel(c, 9);
    SASRec model = new SASRec(c, SASRec.Targets.ALL);
    INDArray items = TinyModel.rows(new double[][] {{1, 2, 3, 4}});
    INDArray inference1 = model.hidden(m.params, items, false, null);
    INDArray inference2 = model.hidden(m.params, items, false, null);
    assertThat(inference1).isEqualTo(inference2);
    Random random = Nd4j.getRandomFactory().getNewRandomInstance(1);
    INDArray training = model.hidden(m.params, items, true, random);
    assertThat(training.equalsWithEps(inference1, 1e-6)).isFalse();
  }

  /**
   * Calls run in a reused workspace that learns its size from the first call: a larger batch later
   * (which spills and resets it) and a smaller one after must give what fresh calls give.
   */
  @Test
  void resultsDoNotDependOnTheCallsBefore() {
    TinyModel m = new TinyModel(TinyModel.config(true, ModelConfig.Activation.GELU), 8);
    SASRec model = new SASRec(m.config, SASRec.Targets.ALL);
    INDArray small = TinyModel.rows(new double[][] {{0, 1, 2, 3}});
    INDArray large =
        TinyModel.rows(new double[][] {{1, 2, 3, 4}, {0, 0, 5, 6}, {7, 1, 2, 3}, {0, 0, 0, 2}});
    INDArray smallFirst = model.lastHidden(m.params, small);
    INDArray largeAfter = model.lastHidden(m.params, large);
    INDArray smallAgain = model.lastHidden(m.params, small);
    assertThat(smallAgain).isEqualTo(smallFirst);
    INDArray alone = model.lastHidden(m.params, large.getRow(0).reshape(1, 4));
    assertThat(largeAfter.getRow(0).equalsWithEps(alone.getRow(0), 1e-12)).isTrue();
    assertThat(new SASRec(m.config, SASRec.Targets.ALL).lastHidden(m.params, large))
        .isEqualTo(largeAfter);
  }

  @Test
  void aPaddingOnlyPrefixGivesFiniteOutputs() {
    TinyModel m = new TinyModel(TinyModel.config(false, ModelConfig.Activation.GELU), 2);
    INDArray hidden =
        new SASRec(m.config, SASRec.Targets.ALL)
            .hidden(m.params, TinyModel.rows(new double[][] {{0, 0, 0, 5}}), false, null);
    assertThat(hidden.isNaN().any()).isFalse();
    assertThat(hidden.getRow(0).norm2Number().doubleValue()).isZero();
  }
}
