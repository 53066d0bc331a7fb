package dev.sasrec.model;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Layer normalization over the last dimension, as torch.nn.LayerNorm: y = (x − mean) / √(var + ε) ·
 * gain + bias. x, y: [M, d]; gain, bias: [d].
 *
 * <p>ND4J's native layer_norm is not used: it standardizes by the plain standard deviation, without
 * ε (LayerNormTest shows the difference).
 */
final class LayerNorm {

  /** torch.nn.LayerNorm's default epsilon. */
  static final double EPSILON = 1e-5;

  /** Normalized input and 1/σ per row, kept for the backward pass. */
  record Cache(INDArray normalized, INDArray inverseStd) {}

  private final String gain;
  private final String bias;
  private final long width;

  /** Keys {@code key + "G"} and {@code key + "B"}. */
  LayerNorm(String key, long width) {
    this.gain = key + "G";
    this.bias = key + "B";
    this.width = width;
  }

  List<ParamLayout.Param> params() {
    return List.of(
        new ParamLayout.Param(gain, ParamLayout.Kind.NORM_GAIN, width),
        new ParamLayout.Param(bias, ParamLayout.Kind.NORM_BIAS, width));
  }

  Forward<Cache> forward(Map<String, INDArray> p, INDArray x) {
    long m = x.size(0);
    INDArray centered = x.subColumnVector(x.mean(1).reshape(m, 1));
    INDArray variance = centered.mul(centered).mean(1).reshape(m, 1);
    INDArray inverseStd = Transforms.pow(variance.addi(EPSILON), -0.5, false); // [M, 1]
    INDArray normalized = centered.muliColumnVector(inverseStd);
    INDArray y = normalized.mulRowVector(p.get(gain)).addiRowVector(p.get(bias));
    return new Forward<>(y, new Cache(normalized, inverseStd));
  }

  /** dx = (1/σ) (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), with dx̂ = dy · gain. */
  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy, INDArray ones) {
    long m = dy.size(0);
    INDArray xhat = c.normalized();
    INDArray dyXhat = dy.mul(xhat);
    Linear.columnSums(dyXhat, ones, g.get(gain));
    Linear.columnSums(dy, ones, g.get(bias));
    INDArray dxhat = dy.mulRowVector(p.get(gain));
    INDArray meanDxhat = dxhat.mean(1).reshape(m, 1);
    // dx̂ · x̂ = (dy · x̂) · gain: reuse the product of the gain's gradient.
    INDArray meanDxhatXhat = dyXhat.muliRowVector(p.get(gain)).mean(1).reshape(m, 1);
    return dxhat
        .subiColumnVector(meanDxhat)
        .subi(xhat.mulColumnVector(meanDxhatXhat))
        .muliColumnVector(c.inverseStd());
  }
}
