package dev.sasrec.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GELU, tanh form (as torch's gelu(approximate='tanh') and the seed): 0.5 u (1 + tanh(z)) with z =
 * √(2/π) (u + 0.044715 u³). The forward pass keeps tanh(z) for the backward pass.
 */
final class Gelu {

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double CUBIC = 0.044715;

  /** u and tanh(z), kept for the backward pass. */
  record Cache(INDArray input, INDArray tanh) {}

  private Gelu() {}

  static Forward<Cache> forward(INDArray u) {
    INDArray t = u.mul(u).muli(SQRT_2_OVER_PI * CUBIC).addi(SQRT_2_OVER_PI).muli(u);
    Transforms.tanh(t, false);
    return new Forward<>(t.add(1).muli(u).muli(0.5), new Cache(u, t));
  }

  /** da · GELU′(u) in place: 0.5 (1 + t) + 0.5 u (1 − t²) √(2/π) (1 + 3 · 0.044715 u²). */
  static INDArray backward(Cache c, INDArray da) {
    INDArray u = c.input();
    INDArray t = c.tanh();
    INDArray slope = u.mul(u).muli(3 * CUBIC).addi(1).muli(SQRT_2_OVER_PI);
    slope.muli(t.mul(t).rsubi(1)).muli(u).muli(0.5).addi(t.add(1).muli(0.5));
    return da.muli(slope);
  }
}
