package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

class SASRecModelTest {

  @Test
  void theSeedConfigurationHasExactlyTheSeedsParameterCount() {
    ModelConfig seed =
        new ModelConfig(83631, 50, 128, 3, 2, 512, 0.2, ModelConfig.Activation.GELU, false);
    Map<String, Long> byPart = new LinkedHashMap<>();
    for (ParamLayout.Param p : new ParamLayout(seed).params()) {
      String part = p.key().startsWith("b0") ? "block0" : p.key().replaceAll("^b\\d.*", "blockN");
      byPart.merge(part, p.length(), Long::sum);
    }
    assertThat(new ParamLayout(seed).numParams()).isEqualTo(11_306_368L);
    assertThat(byPart.get(ParamLayout.ITEM_EMBEDDING)).isEqualTo(10_704_896L);
    assertThat(byPart.get(ParamLayout.POSITION_EMBEDDING)).isEqualTo(6_400L);
    assertThat(byPart.get("embLnG") + byPart.get("embLnB")).isEqualTo(256L);
    assertThat(byPart.get("block0")).isEqualTo(256L + 66_048L + 256L + 131_712L);
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
    ModelConfig c = new ModelConfig(7, 4, 4, 2, 2, 8, 0.5, ModelConfig.Activation.GELU, false);
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
