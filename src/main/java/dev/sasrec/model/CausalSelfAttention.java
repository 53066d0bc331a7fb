package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multi-head self-attention where position i sees positions j ≤ i that are not padding.
 *
 * <p>x: [B·L, d] → Q, K, V: [B·h, L, d/h] → scores: [B·h, L, L] → output: [B·L, d]. Masked scores
 * get a large finite negative bias rather than −∞, so a padding query whose keys are all masked
 * gets a harmless uniform row instead of NaN gradients (its output is zeroed downstream anyway).
 */
final class CausalSelfAttention {

  /** Added to the score of a masked key; exp() of it underflows to exactly 0. */
  static final double MASKED = -1e9;

  /** What the backward pass needs. */
  record Cache(
      INDArray input, INDArray q, INDArray k, INDArray v, INDArray weights, INDArray context) {}

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final int heads;

  CausalSelfAttention(String prefix, int heads) {
    this.query = new Linear(prefix + "Wq", prefix + "Bq");
    this.key = new Linear(prefix + "Wk", prefix + "Bk");
    this.value = new Linear(prefix + "Wv", prefix + "Bv");
    this.output = new Linear(prefix + "Wo", prefix + "Bo");
    this.heads = heads;
  }

  /** {@code maskBias}: [B·h, L, L], 0 where attention is allowed, {@link #MASKED} elsewhere. */
  INDArray forward(
      Map<String, INDArray> p,
      INDArray x,
      INDArray maskBias,
      int batch,
      int length,
      Cache[] cache) {
    INDArray q = split(query.forward(p, x), batch, length); // [B·h, L, dh]
    INDArray k = split(key.forward(p, x), batch, length);
    INDArray v = split(value.forward(p, x), batch, length);
    double scale = 1.0 / Math.sqrt(q.size(2));
    INDArray scores =
        Nd4j.matmul(q, k, false, true, false).muli(scale).addi(maskBias); // [B·h, L, L]
    INDArray weights = softmaxRows(scores);
    INDArray context = merge(Nd4j.matmul(weights, v), batch, length); // [B·L, d]
    cache[0] = new Cache(x, q, k, v, weights, context);
    return output.forward(p, context);
  }

  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy, Batch b) {
    int batch = b.size();
    int length = b.length();
    INDArray ones = b.ones();
    INDArray dContext = split(output.backward(p, g, c.context(), dy, ones), batch, length);
    INDArray dWeights = Nd4j.matmul(dContext, c.v(), false, true, false); // [B·h, L, L]
    INDArray dv = Nd4j.matmul(c.weights(), dContext, true, false, false); // [B·h, L, dh]
    // Softmax backward: dS = P ⊙ (dP − Σ_j dP ⊙ P), then the 1/√dh scale.
    INDArray rowDot = rows(dWeights.mul(c.weights())).sum(1); // [B·h·L]
    INDArray dScores = dWeights;
    rows(dScores).subiColumnVector(rowDot.reshape(rowDot.length(), 1));
    dScores.muli(c.weights());
    dScores.muli(1.0 / Math.sqrt(c.q().size(2)));
    INDArray dq = Nd4j.matmul(dScores, c.k());
    INDArray dk = Nd4j.matmul(dScores, c.q(), true, false, false);
    INDArray dx = query.backward(p, g, c.input(), merge(dq, batch, length), ones);
    dx.addi(key.backward(p, g, c.input(), merge(dk, batch, length), ones));
    dx.addi(value.backward(p, g, c.input(), merge(dv, batch, length), ones));
    return dx;
  }

  /** [B·L, d] → [B·h, L, d/h]. */
  private INDArray split(INDArray x, int batch, int length) {
    long headSize = x.size(1) / heads;
    return x.reshape('c', batch, length, heads, headSize)
        .permute(0, 2, 1, 3)
        .dup('c')
        .reshape('c', (long) batch * heads, length, headSize);
  }

  /** [B·h, L, d/h] → [B·L, d]. */
  private INDArray merge(INDArray x, int batch, int length) {
    long headSize = x.size(2);
    return x.reshape('c', batch, heads, length, headSize)
        .permute(0, 2, 1, 3)
        .dup('c')
        .reshape('c', (long) batch * length, heads * headSize);
  }

  /** Softmax over the last dimension, in place, max-shifted so fully masked rows stay finite. */
  private static INDArray softmaxRows(INDArray scores) {
    INDArray rows = rows(scores);
    rows.subiColumnVector(rows.max(1).reshape(rows.size(0), 1));
    Transforms.exp(rows, false);
    rows.diviColumnVector(rows.sum(1).reshape(rows.size(0), 1));
    return scores;
  }

  /** [n, L, L] as a [n·L, L] view. */
  private static INDArray rows(INDArray scores) {
    long[] shape = scores.shape();
    return scores.reshape('c', shape[0] * shape[1], shape[2]);
  }

  /**
   * The additive mask for a batch of left-padded id rows: [B·h, L, L], key j visible to query i
   * when j ≤ i and item j is not padding.
   */
  static INDArray maskBias(
      int[] ids, int batch, int length, int heads, org.nd4j.linalg.api.buffer.DataType type) {
    float[] bias = new float[batch * heads * length * length];
    int offset = 0;
    for (int b = 0; b < batch; b++) {
      int start = offset;
      for (int i = 0; i < length; i++) {
        for (int j = 0; j < length; j++) {
          boolean visible = j <= i && ids[b * length + j] != 0;
          bias[offset++] = visible ? 0f : (float) MASKED;
        }
      }
      for (int h = 1; h < heads; h++) {
        System.arraycopy(bias, start, bias, offset, length * length);
        offset += length * length;
      }
    }
    return Nd4j.create(bias, new long[] {(long) batch * heads, length, length}, 'c').castTo(type);
  }
}
