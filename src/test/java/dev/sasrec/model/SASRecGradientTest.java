package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences in double precision against the hand-written backward pass. */
class SASRecGradientTest {

  private static final double EPSILON = 1e-6;
  private static final double MAX_RELATIVE_ERROR = 1e-5;
  private static final double ABSOLUTE_TOLERANCE = 1e-9;

  // Row 3 repeats items (the embedding gradient must add up) and starts with padding.
  private static final double[][] ITEMS = {{0, 1, 2, 3}, {4, 5, 6, 7}, {0, 0, 2, 2}};
  private static final double[][] POSITIVES = {{1, 2, 3, 4}, {5, 6, 7, 1}, {0, 2, 2, 5}};
  private static final double[][] NEGATIVES = {{6, 5, 7, 6}, {1, 2, 3, 3}, {4, 4, 1, 2}};

  @ParameterizedTest
  @EnumSource(SASRec.Targets.class)
  void everyParameterMatchesFiniteDifferences(SASRec.Targets targets) {
    TinyModel m = new TinyModel(TinyModel.config(true, ModelConfig.Activation.GELU), 11);
    check(m, new SASRec(m.config, targets), TinyModel.rows(NEGATIVES));
  }

  @Test
  void gbceWithASeparateOutputTableMatchesFiniteDifferences() {
    ModelConfig c =
        new ModelConfig(7, 4, 4, 2, 2, 8, 0.0, ModelConfig.Activation.GELU, false, true);
    TinyModel m = new TinyModel(c, 13);
    SASRec model = new SASRec(c, SASRec.Targets.ALL, new Objective(Objective.Loss.GBCE, 3, 0.75));
    check(m, model, TinyModel.rows(new double[][] {{5, 6, 7}, {2, 3, 4}, {1, 3, 4}}));
  }

  private static void check(TinyModel m, SASRec model, INDArray neg) {
    INDArray items = TinyModel.rows(ITEMS);
    INDArray pos = TinyModel.rows(POSITIVES);
    model.step(m.params, m.grads, items, pos, neg, false, null, 1.0);
    double[] analytic = m.gradFlat.toDoubleVector();
    int checked = 0;
    for (int i = 0; i < analytic.length; i++) {
      double original = m.flat.getDouble(0, i);
      m.flat.putScalar(0, i, original + EPSILON);
      double plus = model.step(m.params, null, items, pos, neg, false, null, 1.0).loss();
      m.flat.putScalar(0, i, original - EPSILON);
      double minus = model.step(m.params, null, items, pos, neg, false, null, 1.0).loss();
      m.flat.putScalar(0, i, original);
      double numeric = (plus - minus) / (2 * EPSILON);
      assertThat(numeric).as("finite difference of %s", keyOf(m, i)).isFinite();
      assertThat(analytic[i]).as("gradient of %s", keyOf(m, i)).isFinite();
      double diff = Math.abs(numeric - analytic[i]);
      double scale = Math.max(Math.abs(numeric), Math.abs(analytic[i]));
      if (diff > ABSOLUTE_TOLERANCE) {
        assertThat(diff / scale)
            .as("parameter %d (%s): analytic %s numeric %s", i, keyOf(m, i), analytic[i], numeric)
            .isLessThan(MAX_RELATIVE_ERROR);
      }
      checked++;
    }
    assertThat(checked).isEqualTo(m.layout.numParams());
    assertThat(m.gradFlat.norm2Number().doubleValue()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(SASRec.Targets.class)
  void gradientScaleMultipliesTheGradientNotTheLoss(SASRec.Targets targets) {
    TinyModel a = new TinyModel(TinyModel.config(false, ModelConfig.Activation.RELU), 3);
    TinyModel b = new TinyModel(TinyModel.config(false, ModelConfig.Activation.RELU), 3);
    SASRec model = new SASRec(a.config, targets);
    INDArray items = TinyModel.rows(ITEMS);
    double la =
        model
            .step(
                a.params,
                a.grads,
                items,
                TinyModel.rows(POSITIVES),
                TinyModel.rows(NEGATIVES),
                false,
                null,
                1.0)
            .loss();
    double lb =
        model
            .step(
                b.params,
                b.grads,
                items,
                TinyModel.rows(POSITIVES),
                TinyModel.rows(NEGATIVES),
                false,
                null,
                3.0)
            .loss();
    assertThat(lb).isEqualTo(la);
    assertThat(b.gradFlat.sub(a.gradFlat.mul(3)).norm2Number().doubleValue()).isLessThan(1e-9);
  }

  private static String keyOf(TinyModel m, int index) {
    long offset = 0;
    for (ParamLayout.Param p : m.layout.params()) {
      if (index < offset + p.length()) {
        return p.key() + "[" + (index - offset) + "]";
      }
      offset += p.length();
    }
    return "?";
  }
}
