package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Central finite differences in double precision against the hand-written backward pass. */
class SASRecGradientTest {

  private static final double EPSILON = 1e-6;
  private static final double MAX_RELATIVE_ERROR = 1e-5;
  private static final double ABSOLUTE_TOLERANCE = 1e-9;
  private static final long DROPOUT_SEED = 77;

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
        ModelConfig.builder()
            .items(7)
            .maxLen(4)
            .hidden(4)
            .blocks(2)
            .heads(2)
            .ffn(8)
            .dropout(0.0)
            .activation(ModelConfig.Activation.GELU)
            .separateOutput(true)
            .build();
    TinyModel m = new TinyModel(c, 13);
    SASRec model = new SASRec(c, SASRec.Targets.ALL, new Objective(Objective.Loss.GBCE, 3, 0.75));
    check(m, model, TinyModel.rows(new double[][] {{5, 6, 7}, {2, 3, 4}, {1, 3, 4}}));
  }

  /**
   * With dropout on: each evaluation re-seeds the generator, so every one draws the same masks and
   * the loss is a deterministic function of the parameters whose gradient the backward pass
   * computes through the masks.
   */
  @ParameterizedTest
  @EnumSource(SASRec.Targets.class)
  void theDropoutBackwardMatchesFiniteDifferencesUnderFixedMasks(SASRec.Targets targets) {
    ModelConfig c =
        TinyModel.config(true, ModelConfig.Activation.GELU).toBuilder().dropout(0.3).build();
    checkUnderFixedMasks(new TinyModel(c, 19), new SASRec(c, targets));
  }

  /**
   * Attention-weight dropout and the feed-forward's inner dropout (pmixer's two dropouts the seed
   * lacks), alone: fixed masks again, and they act.
   */
  @ParameterizedTest
  @EnumSource(ModelConfig.Activation.class)
  void theAttentionAndFeedForwardDropoutsMatchFiniteDifferences(ModelConfig.Activation a) {
    ModelConfig c =
        TinyModel.config(true, a).toBuilder().attentionDropout(0.3).ffnDropout(0.3).build();
    checkUnderFixedMasks(new TinyModel(c, 23), new SASRec(c, SASRec.Targets.ALL));
  }

  /** The gradient check under fixed masks, and that the masks did act (training ≠ inference). */
  private static void checkUnderFixedMasks(TinyModel m, SASRec model) {
    Random random = Nd4j.getRandomFactory().getNewRandomInstance(DROPOUT_SEED);
    INDArray items = TinyModel.rows(ITEMS);
    INDArray pos = TinyModel.rows(POSITIVES);
    INDArray neg = TinyModel.rows(NEGATIVES);
    check(m, model, neg, random);
    random.setSeed(DROPOUT_SEED);
    double training = model.step(m.params, null, items, pos, neg, true, random, 1).loss();
    double inference = model.step(m.params, null, items, pos, neg, false, null, 1).loss();
    assertThat(training).isNotCloseTo(inference, within(1e-6));
  }

  private static void check(TinyModel m, SASRec model, INDArray neg) {
    check(m, model, neg, null);
  }

  /** {@code random} null: inference mode; otherwise training mode with masks from its seed. */
  private static void check(TinyModel m, SASRec model, INDArray neg, Random random) {
    INDArray items = TinyModel.rows(ITEMS);
    INDArray pos = TinyModel.rows(POSITIVES);
    boolean training = random != null;
    reseed(random);
    model.step(m.params, m.grads, items, pos, neg, training, random, 1.0);
    double[] analytic = m.gradFlat.toDoubleVector();
    int checked = 0;
    for (int i = 0; i < analytic.length; i++) {
      double original = m.flat.getDouble(0, i);
      m.flat.putScalar(0, i, original + EPSILON);
      reseed(random);
      double plus = model.step(m.params, null, items, pos, neg, training, random, 1.0).loss();
      m.flat.putScalar(0, i, original - EPSILON);
      reseed(random);
      double minus = model.step(m.params, null, items, pos, neg, training, random, 1.0).loss();
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

  private static void reseed(Random random) {
    if (random != null) {
      random.setSeed(DROPOUT_SEED);
    }
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
