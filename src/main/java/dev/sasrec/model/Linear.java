package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = x W + b. x: [M, in], W: [in, out], b: [out], y: [M, out]. */
final class Linear {

  private final String weight;
  private final String bias;

  Linear(String weight, String bias) {
    this.weight = weight;
    this.bias = bias;
  }

  INDArray forward(Map<String, INDArray> p, INDArray x) {
    return Nd4j.gemm(x, p.get(weight), false, false).addiRowVector(p.get(bias));
  }

  /**
   * Accumulates dW, db into {@code g} in place (GEMM with beta 1: no temporaries); returns dx [M,
   * in]. {@code ones}: a column of M ones, for the bias gradient as a matrix product.
   */
  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, INDArray x, INDArray dy, INDArray ones) {
    Nd4j.gemm(x, dy, g.get(weight), true, false, 1.0, 1.0);
    columnSums(dy, ones, g.get(bias));
    return Nd4j.gemm(dy, p.get(weight), false, true);
  }

  /** into += Σ_rows m, as onesᵀ m (a reduction along rows is far slower in ND4J). */
  static void columnSums(INDArray m, INDArray ones, INDArray into) {
    Nd4j.gemm(ones, m, into.reshape(1, m.size(1)), true, false, 1.0, 1.0);
  }
}
