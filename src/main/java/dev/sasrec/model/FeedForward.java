package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Position-wise feed-forward: d → ffn → d with GELU (tanh form) or ReLU. x: [M, d]. */
final class FeedForward {

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double GELU_CUBIC = 0.044715;

  /** Input, pre-activation and activation, kept for the backward pass. */
  record Cache(INDArray input, INDArray preActivation, INDArray activated) {}

  private final Linear in;
  private final Linear out;
  private final ModelConfig.Activation activation;

  FeedForward(String prefix, ModelConfig.Activation activation) {
    this.in = new Linear(prefix + "W1", prefix + "B1");
    this.out = new Linear(prefix + "W2", prefix + "B2");
    this.activation = activation;
  }

  INDArray forward(Map<String, INDArray> p, INDArray x, Cache[] cache) {
    INDArray u = in.forward(p, x); // [M, ffn]
    INDArray a = activation == ModelConfig.Activation.GELU ? gelu(u) : Transforms.relu(u, true);
    cache[0] = new Cache(x, u, a);
    return out.forward(p, a); // [M, d]
  }

  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy, INDArray ones) {
    INDArray da = out.backward(p, g, c.activated(), dy, ones);
    INDArray du =
        activation == ModelConfig.Activation.GELU
            ? da.muli(geluDerivative(c.preActivation()))
            : da.muli(c.preActivation().gt(0).castTo(da.dataType()));
    return in.backward(p, g, c.input(), du, ones);
  }

  /** 0.5 u (1 + tanh(√(2/π) (u + 0.044715 u³))). */
  static INDArray gelu(INDArray u) {
    INDArray t = tanhInner(u);
    return t.addi(1).muli(u).muli(0.5);
  }

  /** 0.5 (1 + t) + 0.5 u (1 − t²) √(2/π) (1 + 3 · 0.044715 u²). */
  static INDArray geluDerivative(INDArray u) {
    INDArray t = tanhInner(u);
    INDArray u2 = u.mul(u);
    INDArray inner = u2.muli(3 * GELU_CUBIC).addi(1).muli(SQRT_2_OVER_PI);
    INDArray sech2 = t.mul(t).rsubi(1);
    return sech2.muli(inner).muli(u).muli(0.5).addi(t.addi(1).muli(0.5));
  }

  private static INDArray tanhInner(INDArray u) {
    INDArray cube = u.mul(u).muli(u);
    return Transforms.tanh(cube.muli(GELU_CUBIC).addi(u).muli(SQRT_2_OVER_PI), false);
  }
}
