package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Layer normalization over the last dimension. x, y: [M, d]; gain, bias: [d]. */
final class LayerNorm {

  /** torch.nn.LayerNorm's default epsilon. */
  static final double EPSILON = 1e-5;

  /** Normalized input and 1/σ per row, kept for the backward pass. */
  record Cache(INDArray normalized, INDArray inverseStd) {}

  private final String gain;
  private final String bias;

  LayerNorm(String prefix) {
    this.gain = prefix + "G";
    this.bias = prefix + "B";
  }

  INDArray forward(Map<String, INDArray> p, INDArray x, Cache[] cache) {
    long m = x.size(0);
    INDArray centered = x.subColumnVector(x.mean(1).reshape(m, 1));
    INDArray variance = centered.mul(centered).mean(1).reshape(m, 1);
    INDArray inverseStd = Transforms.pow(variance.addi(EPSILON), -0.5, false);
    INDArray normalized = centered.muliColumnVector(inverseStd);
    cache[0] = new Cache(normalized, inverseStd);
    return normalized.mulRowVector(p.get(gain)).addiRowVector(p.get(bias));
  }

  /** dx = (1/σ) (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), with dx̂ = dy · gain. */
  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy, INDArray ones) {
    long m = dy.size(0);
    INDArray xhat = c.normalized();
    Linear.columnSums(dy.mul(xhat), ones, g.get(gain));
    Linear.columnSums(dy, ones, g.get(bias));
    INDArray dxhat = dy.mulRowVector(p.get(gain));
    INDArray meanDxhat = dxhat.mean(1).reshape(m, 1);
    INDArray meanDxhatXhat = dxhat.mul(xhat).mean(1).reshape(m, 1);
    return dxhat
        .subiColumnVector(meanDxhat)
        .subi(xhat.mulColumnVector(meanDxhatXhat))
        .muliColumnVector(c.inverseStd());
  }
}
