package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** y = x W + b. x: [M, in], W: [in, out], b: [out], y: [M, out]. */
final class Linear {

  private final String weight;
  private final String bias;

  Linear(String weight, String bias) {
    this.weight = weight;
    this.bias = bias;
  }

  INDArray forward(Map<String, INDArray> p, INDArray x) {
    return x.mmul(p.get(weight)).addiRowVector(p.get(bias));
  }

  /** Accumulates dW, db into {@code g}; returns dx [M, in]. */
  INDArray backward(Map<String, INDArray> p, Map<String, INDArray> g, INDArray x, INDArray dy) {
    g.get(weight).addi(x.transpose().mmul(dy));
    g.get(bias).addi(dy.sum(0));
    return dy.mmul(p.get(weight).transpose());
  }
}
