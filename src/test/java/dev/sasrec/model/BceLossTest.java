package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BceLossTest {

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void aPairCostsMinusLogSigmaOfThePositiveAndOfMinusTheNegative() {
    double[][] pairs = {{0, 0}, {2, -1}, {-3, 0.5}, {0.25, 4}};
    for (double[] pair : pairs) {
      double expected = -Math.log(sigmoid(pair[0])) - Math.log(1 - sigmoid(pair[1]));
      assertThat(BceLoss.pair(pair[0], pair[1])).isCloseTo(expected, within(1e-12));
    }
    assertThat(BceLoss.pair(0, 0)).isCloseTo(2 * Math.log(2), within(1e-15));
  }

  @Test
  void largeLogitsStayFinite() {
    assertThat(BceLoss.pair(-800, 800)).isCloseTo(1600, within(1e-9));
    assertThat(BceLoss.pair(800, -800)).isZero();
    assertThat(BceLoss.sigmoid(-800)).isZero();
    assertThat(BceLoss.sigmoid(800)).isEqualTo(1);
  }

  @Test
  void aDecisionIsRightWhenThePositiveIsAboveZeroAndTheNegativeBelow() {
    assertThat(BceLoss.correct(1, -1)).isEqualTo(2);
    assertThat(BceLoss.correct(1, 1)).isEqualTo(1);
    assertThat(BceLoss.correct(0, 0)).isZero();
  }
}
