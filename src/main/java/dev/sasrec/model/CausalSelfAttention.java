package dev.sasrec.model;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multi-head self-attention where position i sees positions j ≤ i that are not padding.
 *
 * <p>x: [B·L, d] → Q | K | V: [B·L, 3d] (one product) → per head, views [B, h, L, d/h] of it (no
 * copies: the batched products read strided views) → scores: [B, h, L, L] → context [B, h, L, d/h],
 * written straight into [B·L, d] → output projection: [B·L, d]. Masked scores get a large finite
 * negative bias rather than −∞, so a padding query whose keys are all masked gets a harmless
 * uniform row instead of NaN gradients (its output is zeroed downstream anyway).
 */
final class CausalSelfAttention {

  /** Added to the score of a masked key; exp() of it underflows to exactly 0. */
  static final double MASKED = -1e9;

  private static final int QUERY = 0;
  private static final int KEY = 1;
  private static final int VALUE = 2;

  /** What the backward pass needs. */
  record Cache(INDArray input, INDArray qkv, INDArray weights, INDArray context) {}

  private final Linear qkv;
  private final Linear output;
  private final int heads;
  private final long width;
  private final double scale;

  /**
   * Keys {@code prefix + "Wqkv"} [d, 3d] (Q | K | V), {@code "Bqkv"}, {@code "Wo"}, {@code "Bo"}.
   */
  CausalSelfAttention(String prefix, ModelConfig c) {
    this.qkv = new Linear(prefix, "qkv", c.hidden(), 3L * c.hidden(), 3);
    this.output = new Linear(prefix, "o", c.hidden(), c.hidden());
    this.heads = c.heads();
    this.width = c.hidden();
    this.scale = 1.0 / Math.sqrt(c.headSize());
  }

  List<ParamLayout.Param> params() {
    return FeedForward.concat(qkv.params(), output.params());
  }

  /**
   * {@code batch.maskBias()}: [B, h, L, L], 0 where attention is allowed, {@link #MASKED}
   * elsewhere.
   */
  Forward<Cache> forward(Map<String, INDArray> p, INDArray x, Batch batch) {
    INDArray qkvRows = qkv.forward(p, x); // [B·L, 3d]
    INDArray q = heads(qkvRows, QUERY, batch); // [B, h, L, dh]
    INDArray k = heads(qkvRows, KEY, batch);
    INDArray v = heads(qkvRows, VALUE, batch);
    INDArray weights = Nd4j.matmul(q, k, false, true, false); // [B, h, L, L]
    softmax(weights.muli(scale).addi(batch.maskBias()));
    INDArray context = Nd4j.createUninitialized(x.dataType(), x.size(0), width); // [B·L, d]
    Nd4j.matmul(weights, v, heads(context, batch), false, false, false);
    return new Forward<>(output.forward(p, context), new Cache(x, qkvRows, weights, context));
  }

  /**
   * The output at the last position of each sequence only, [B, d], from the normalized input of all
   * positions {@code x} [B·L, d] (keys and values need every position; the query only the last).
   */
  INDArray forwardLast(Map<String, INDArray> p, INDArray x, Batch batch) {
    int b = batch.size();
    int length = batch.length();
    INDArray keysValues = qkv.forwardColumns(p, x, width, 3 * width); // [B·L, 2d]: K | V
    INDArray last =
        x.reshape('c', b, length, width)
            .get(NDArrayIndex.all(), NDArrayIndex.point(length - 1), NDArrayIndex.all()); // [B, d]
    INDArray q = qkv.forwardColumns(p, last, 0, width); // [B, d]
    INDArray qh = q.reshape('c', b, 1, heads, width / heads).permute(0, 2, 1, 3); // [B, h, 1, dh]
    INDArray k = heads(keysValues, 0, 2, batch);
    INDArray v = heads(keysValues, 1, 2, batch);
    INDArray lastMask =
        batch
            .maskBias()
            .get(
                NDArrayIndex.all(),
                NDArrayIndex.all(),
                NDArrayIndex.interval(length - 1, length),
                NDArrayIndex.all()); // [B, h, 1, L]
    INDArray weights = Nd4j.matmul(qh, k, false, true, false); // [B, h, 1, L]
    softmax(weights.muli(scale).addi(lastMask));
    INDArray context = Nd4j.createUninitialized(x.dataType(), b, width); // [B, d]
    Nd4j.matmul(
        weights,
        v,
        context.reshape('c', b, 1, heads, width / heads).permute(0, 2, 1, 3),
        false,
        false,
        false);
    return output.forward(p, context);
  }

  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy, Batch batch) {
    INDArray ones = batch.ones();
    INDArray dContext = heads(output.backward(p, g, c.context(), dy, ones), batch);
    INDArray q = heads(c.qkv(), QUERY, batch);
    INDArray k = heads(c.qkv(), KEY, batch);
    INDArray v = heads(c.qkv(), VALUE, batch);
    INDArray dqkv = Nd4j.createUninitialized(dy.dataType(), dy.size(0), 3 * width);
    Nd4j.matmul(c.weights(), dContext, heads(dqkv, VALUE, batch), true, false, false); // Pᵀ dC
    INDArray dScores = Nd4j.matmul(dContext, v, false, true, false); // dP: [B, h, L, L]
    // Softmax backward: dS = P ⊙ (dP − Σ_j dP ⊙ P), then the 1/√dh scale.
    INDArray dRows = rows(dScores);
    INDArray weightRows = rows(c.weights());
    INDArray rowDot = dRows.mul(weightRows).sum(1); // [B·h·L]
    dRows.subiColumnVector(rowDot.reshape(rowDot.length(), 1)).muli(weightRows).muli(scale);
    Nd4j.matmul(dScores, k, heads(dqkv, QUERY, batch), false, false, false); // dS K
    Nd4j.matmul(dScores, q, heads(dqkv, KEY, batch), true, false, false); // dSᵀ Q
    return qkv.backward(p, g, c.input(), dqkv, ones);
  }

  /** Part {@code part} (Q, K or V) of [B·L, 3d] rows as a [B, h, L, d/h] view. */
  private INDArray heads(INDArray rows, int part, Batch batch) {
    return heads(rows, part, 3, batch);
  }

  /** Part {@code part} of {@code parts} side-by-side [B·L, d] blocks as a [B, h, L, d/h] view. */
  private INDArray heads(INDArray rows, int part, int parts, Batch batch) {
    return rows.reshape('c', batch.size(), batch.length(), parts, heads, width / heads)
        .get(
            NDArrayIndex.all(),
            NDArrayIndex.all(),
            NDArrayIndex.point(part),
            NDArrayIndex.all(),
            NDArrayIndex.all())
        .permute(0, 2, 1, 3);
  }

  /** [B·L, d] rows as a [B, h, L, d/h] view. */
  private INDArray heads(INDArray rows, Batch batch) {
    return rows.reshape('c', batch.size(), batch.length(), heads, width / heads)
        .permute(0, 2, 1, 3);
  }

  /**
   * Softmax over the last dimension, in place, max-shifted so that large and fully masked rows stay
   * finite. ND4J's native softmax op is not used: in 1.0.0-M2.1 it does not shift, and a fully
   * masked row (a padding query) becomes NaN (SoftmaxTest).
   */
  static void softmax(INDArray scores) {
    INDArray rows = rows(scores);
    rows.subiColumnVector(rows.max(1).reshape(rows.size(0), 1));
    Transforms.exp(rows, false);
    rows.diviColumnVector(rows.sum(1).reshape(rows.size(0), 1));
  }

  /** [B, h, L, L] as a [B·h·L, L] view. */
  static INDArray rows(INDArray scores) {
    long[] shape = scores.shape();
    return scores.reshape('c', shape[0] * shape[1] * shape[2], shape[3]);
  }

  /**
   * The additive mask for a batch of left-padded id rows: [B, h, L, L], key j visible to query i
   * when j ≤ i and item j is not padding.
   */
  static INDArray maskBias(int[] ids, int batch, int length, int heads, DataType type) {
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
    // One bulk copy: Nd4j.create(float[]) fills its buffer element by element (a visible share of
    // an inference pass in the profile).
    INDArray mask =
        Nd4j.createUninitialized(DataType.FLOAT, new long[] {batch, heads, length, length}, 'c');
    Buffers.write(bias, mask);
    return mask.castTo(type);
  }
}
