package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GbceTest {

  /** One position, d = 1: h = 1; the table gives s⁺ = 1 and the two negatives 0 and −1. */
  private static double loss(double beta) {
    return loss(beta, 0);
  }

  private static double loss(double beta, double offset) {
    Map<String, INDArray> p =
        Map.of(ParamLayout.ITEM_EMBEDDING, Nd4j.create(new double[][] {{0}, {1}, {0}, {-1}}));
    INDArray hidden = Nd4j.create(new double[][] {{1}});
    return GbceHead.apply(
            p,
            null,
            hidden,
            1,
            1,
            new int[] {1},
            new int[] {2, 3},
            new boolean[] {true},
            ParamLayout.ITEM_EMBEDDING,
            beta,
            offset,
            1)
        .loss();
  }

  @Test
  void handComputedLossAtTZeroAndTOne() {
    double sp1 = Math.log1p(Math.exp(-1)); // softplus(−1) = −log σ(1) = −log(1 − σ(−1))
    double sp0 = Math.log(2);
    Objective t0 = new Objective(Objective.Loss.GBCE, 2, 0);
    Objective t1 = new Objective(Objective.Loss.GBCE, 2, 1);
    assertThat(t0.beta(101)).isCloseTo(1.0, within(1e-12));
    assertThat(t1.beta(101)).isCloseTo(2.0 / 100, within(1e-12));
    assertThat(loss(t0.beta(101))).isCloseTo((sp1 + sp0 + sp1) / 3, within(1e-12));
    assertThat(loss(t0.beta(101))).isCloseTo(0.4398902, within(1e-7));
    assertThat(loss(t1.beta(101))).isCloseTo((0.02 * sp1 + sp0 + sp1) / 3, within(1e-12));
    assertThat(loss(t1.beta(101))).isCloseTo(0.3375580, within(1e-7));
  }

  @Test
  void betaFollowsTheGsasrecFormula() {
    Objective o = new Objective(Objective.Loss.GBCE, 256, 0.75);
    double alpha = 256.0 / 3415;
    assertThat(o.beta(3416)).isCloseTo(alpha * (0.75 * (1 - 1 / alpha) + 1 / alpha), within(1e-12));
  }

  @Test
  void theOffsetShiftsEveryLogit() {
    // Logits 1, 0, −1 shifted by −2: −1, −2, −3.
    double expected =
        (0.5 * Math.log1p(Math.exp(1)) + Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-3))) / 3;
    assertThat(loss(0.5, -2)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void theOffsetIsWhereTheLossOfEqualScoresIsLowest() {
    Objective o = new Objective(Objective.Loss.GBCE, 256, 0.75);
    double beta = o.beta(3416);
    double c = o.scoreOffset(3416);
    // −6.7 on ML-1M: the value the network would otherwise have to learn.
    assertThat(c).isCloseTo(Math.log(beta / 256), within(1e-12)).isBetween(-6.8, -6.6);
    java.util.function.DoubleUnaryOperator equalScores =
        s -> beta * Math.log1p(Math.exp(-s)) + 256 * Math.log1p(Math.exp(s));
    assertThat(equalScores.applyAsDouble(c)).isLessThan(equalScores.applyAsDouble(c - 0.01));
    assertThat(equalScores.applyAsDouble(c)).isLessThan(equalScores.applyAsDouble(c + 0.01));
    assertThat(Objective.BCE.scoreOffset(3416)).isZero();
    assertThat(new Objective(Objective.Loss.GBCE, 1, 0).scoreOffset(3416)).isZero();
  }

  @Test
  void tZeroWithOneNegativeIsPlainBceOverTwoTerms() {
    TinyModel a = new TinyModel(TinyModel.config(false, ModelConfig.Activation.GELU), 4);
    TinyModel b = new TinyModel(TinyModel.config(false, ModelConfig.Activation.GELU), 4);
    INDArray items = TinyModel.rows(new double[][] {{0, 1, 2, 3}, {4, 5, 6, 7}});
    INDArray pos = TinyModel.rows(new double[][] {{0, 2, 3, 4}, {5, 6, 7, 1}});
    // The same negative at every position of a row (GBCE shares negatives within a row).
    INDArray perPosition = TinyModel.rows(new double[][] {{6, 6, 6, 6}, {2, 2, 2, 2}});
    INDArray perRow = TinyModel.rows(new double[][] {{6}, {2}});
    SASRec bce = new SASRec(a.config, SASRec.Targets.ALL, Objective.BCE);
    SASRec gbce =
        new SASRec(b.config, SASRec.Targets.ALL, new Objective(Objective.Loss.GBCE, 1, 0));
    double lossBce = bce.step(a.params, a.grads, items, pos, perPosition, false, null, 1).loss();
    double lossGbce = gbce.step(b.params, b.grads, items, pos, perRow, false, null, 1).loss();
    assertThat(lossGbce * 2).isCloseTo(lossBce, within(1e-12));
    assertThat(b.gradFlat.mul(2).sub(a.gradFlat).norm2Number().doubleValue()).isLessThan(1e-10);
  }

  @Test
  void stableForLargeLogits() {
    Map<String, INDArray> p =
        Map.of(
            ParamLayout.ITEM_EMBEDDING,
            Nd4j.create(new float[][] {{0}, {200}, {-200}, {300}}).castTo(DataType.FLOAT));
    INDArray hidden = Nd4j.create(new float[][] {{1}});
    double l =
        GbceHead.apply(
                p,
                null,
                hidden,
                1,
                1,
                new int[] {2},
                new int[] {3, 1},
                new boolean[] {true},
                ParamLayout.ITEM_EMBEDDING,
                0.5,
                0,
                1)
            .loss();
    assertThat(l).isFinite().isCloseTo((0.5 * 200 + 300 + 200) / 3, within(1e-6));
  }
}
