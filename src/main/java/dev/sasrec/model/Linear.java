package dev.sasrec.model;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** y = x W + b. x: [M, in], W: [in, out], b: [out], y: [M, out]. */
final class Linear {

  private final String weight;
  private final String bias;
  private final long in;
  private final long out;
  private final int columnBlocks;

  /** Keys {@code prefix + "W" + name} and {@code prefix + "B" + name}. */
  Linear(String prefix, String name, long in, long out) {
    this(prefix, name, in, out, 1);
  }

  /**
   * {@code columnBlocks} independent projections side by side in W's columns (see {@link
   * ParamLayout.Param}).
   */
  Linear(String prefix, String name, long in, long out, int columnBlocks) {
    this.weight = prefix + "W" + name;
    this.bias = prefix + "B" + name;
    this.in = in;
    this.out = out;
    this.columnBlocks = columnBlocks;
  }

  List<ParamLayout.Param> params() {
    return List.of(
        new ParamLayout.Param(weight, new long[] {in, out}, ParamLayout.Kind.WEIGHT, columnBlocks),
        new ParamLayout.Param(bias, ParamLayout.Kind.BIAS, out));
  }

  INDArray forward(Map<String, INDArray> p, INDArray x) {
    return Broadcast.addRow(Nd4j.gemm(x, p.get(weight), false, false), p.get(bias));
  }

  /** Columns [from, to) of the output only: x W[:, from:to] + b[from:to] (e.g. K and V alone). */
  INDArray forwardColumns(Map<String, INDArray> p, INDArray x, long from, long to) {
    return Broadcast.addRow(
        Nd4j.gemm(x, weightColumns(p, from, to), false, false), biasColumns(p, from, to));
  }

  /** W[:, from:to], a view. */
  INDArray weightColumns(Map<String, INDArray> p, long from, long to) {
    return p.get(weight).get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
  }

  /** b[from:to], a view. */
  INDArray biasColumns(Map<String, INDArray> p, long from, long to) {
    return p.get(bias).get(NDArrayIndex.interval(from, to));
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
