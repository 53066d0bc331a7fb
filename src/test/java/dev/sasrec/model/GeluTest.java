package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GeluTest {

  private static double gelu(double u) {
    return 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)));
  }

  @Test
  void theSinglePrecisionTanhIsWithinTwoTenMillionthsEverywhere() {
    double worst = 0;
    for (float z = -20f; z <= 20f; z += 1e-4f) {
      worst = Math.max(worst, Math.abs(Gelu.tanh(z) - Math.tanh(z)));
    }
    assertThat(worst).isLessThan(2e-7);
    assertThat(Gelu.tanh(0f)).isZero();
    assertThat(Gelu.tanh(Float.POSITIVE_INFINITY)).isEqualTo(1f);
    assertThat(Gelu.tanh(-1e30f)).isEqualTo(-1f);
    assertThat(Gelu.tanh(-0.3f)).isEqualTo(-Gelu.tanh(0.3f));
  }

  @Test
  void forwardIsTheTanhFormInBothPrecisions() {
    double[] u = {-6, -2.5, -1, -0.1, 0, 0.3, 1, 2, 5.5};
    INDArray d = Nd4j.createFromArray(u).reshape(1, u.length);
    INDArray a = new Gelu(new Buffers()).forward(d).output();
    INDArray f = new Gelu(new Buffers()).forward(d.castTo(DataType.FLOAT)).output();
    for (int i = 0; i < u.length; i++) {
      assertThat(a.getDouble(0, i)).isCloseTo(gelu(u[i]), within(1e-15));
      assertThat(f.getDouble(0, i)).isCloseTo(gelu(u[i]), within(1e-6));
    }
  }

  @Test
  void theSinglePrecisionBackwardMatchesTheDoubleOne() {
    INDArray u = Nd4j.randn(DataType.DOUBLE, 64, 33).muli(3);
    INDArray da = Nd4j.randn(DataType.DOUBLE, 64, 33);
    Gelu gelu = new Gelu(new Buffers());
    INDArray expected = gelu.backward(gelu.forward(u).cache(), da.dup());
    INDArray uf = u.castTo(DataType.FLOAT);
    INDArray actual = gelu.backward(gelu.forward(uf).cache(), da.castTo(DataType.FLOAT));
    assertThat(actual.castTo(DataType.DOUBLE).equalsWithEps(expected, 1e-5)).isTrue();
    // The double backward is the derivative of the forward (central differences).
    double h = 1e-6;
    for (double x : new double[] {-3, -0.7, 0.2, 1.9}) {
      INDArray at = Nd4j.createFromArray(new double[] {x}).reshape(1, 1);
      double slope =
          gelu.backward(gelu.forward(at).cache(), Nd4j.ones(DataType.DOUBLE, 1, 1)).getDouble(0);
      assertThat(slope).isCloseTo((gelu(x + h) - gelu(x - h)) / (2 * h), within(1e-8));
    }
  }
}
