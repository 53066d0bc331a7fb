package dev.sasrec.model;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
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

  /**
   * What the backward pass needs: the softmax {@code weights} and, under attention dropout, the
   * {@code weightsDrop} mask they were multiplied by (null without), and {@code mixing}, the
   * weights that mixed the values (the dropped ones; {@code weights} itself without a mask).
   */
  record Cache(
      INDArray input,
      INDArray qkv,
      INDArray weights,
      INDArray weightsDrop,
      INDArray mixing,
      INDArray context) {}

  private final Linear qkv;
  private final Linear output;
  private final Buffers buffers;
  private final Dropout weightsDropout;
  private final int heads;
  private final long width;
  private final double scale;

  /**
   * Keys {@code prefix + "Wqkv"} [d, 3d] (Q | K | V), {@code "Bqkv"}, {@code "Wo"}, {@code "Bo"}.
   */
  CausalSelfAttention(String prefix, ModelConfig c, Buffers buffers) {
    this.buffers = buffers;
    this.qkv = new Linear(prefix, "qkv", c.hidden(), 3L * c.hidden(), 3);
    this.output = new Linear(prefix, "o", c.hidden(), c.hidden());
    this.weightsDropout = new Dropout(c.attentionDropout());
    this.heads = c.heads();
    this.width = c.hidden();
    this.scale = 1.0 / Math.sqrt(c.headSize());
  }

  List<ParamLayout.Param> params() {
    return FeedForward.concat(qkv.params(), output.params());
  }

  /**
   * {@code batch.maskBias()}: [B, h, L, L], 0 where attention is allowed, {@link #MASKED}
   * elsewhere. In training, attention dropout drops weights after the softmax (as PyTorch's
   * MultiheadAttention does), so a row's kept weights no longer sum to exactly 1.
   */
  Forward<Cache> forward(
      Map<String, INDArray> p, INDArray x, Batch batch, boolean training, Random random) {
    INDArray qkvRows = qkv.forward(p, x); // [B·L, 3d]
    INDArray q = heads(qkvRows, QUERY, batch); // [B, h, L, dh]
    INDArray k = heads(qkvRows, KEY, batch);
    INDArray v = heads(qkvRows, VALUE, batch);
    INDArray weights = Nd4j.matmul(q, k, false, true, false); // [B, h, L, L]
    softmax(weights.muli(scale).addi(batch.maskBias()));
    INDArray weightsDrop = weightsDropout.mask(weights, training, random);
    INDArray context = Nd4j.createUninitialized(x.dataType(), x.size(0), width); // [B·L, d]
    INDArray mixing = weightsDrop == null ? weights : weights.mul(weightsDrop);
    Nd4j.matmul(mixing, v, heads(context, batch), false, false, false);
    return new Forward<>(
        output.forward(p, context), new Cache(x, qkvRows, weights, weightsDrop, mixing, context));
  }

  /**
   * Inference at every position: {@link #forward}'s output without its cache, in single precision
   * the softmax taken over the keys each query sees ({@link #softmaxVisible}).
   */
  INDArray infer(Map<String, INDArray> p, INDArray x, Batch batch) {
    INDArray qkvRows = qkv.forward(p, x); // [B·L, 3d]
    INDArray weights =
        Nd4j.matmul(
            heads(qkvRows, QUERY, batch),
            heads(qkvRows, KEY, batch),
            false,
            true,
            false); // [B, h, L, L]
    if (x.dataType() == DataType.DOUBLE) {
      softmax(weights.muli(scale).addi(batch.maskBias())); // reference checks: no loop to repeat
    } else {
      softmaxVisible(weights, batch);
    }
    INDArray context = Nd4j.createUninitialized(x.dataType(), x.size(0), width); // [B·L, d]
    Nd4j.matmul(weights, heads(qkvRows, VALUE, batch), heads(context, batch), false, false, false);
    return output.forward(p, context);
  }

  /**
   * The output at the last position of each sequence only, [B, d], from the normalized input of all
   * positions {@code n} [B·L, d]. With one query per sequence, each head's key and value
   * projections move to the query's side (the same maths, fewer products): the score of key j is
   * q·(W_K n_j + b_K) = (W_Kᵀ q)·n_j + q·b_K, whose last term is the same for every key and cancels
   * in the softmax; the context is Σ_j a_j (W_V n_j + b_V) = W_Vᵀ(Σ_j a_j n_j) + b_V, as the
   * weights sum to 1. Projecting every position's key and value costs 2·L·d² multiply-adds per
   * sequence, this 2·d² + 2·h·L·d (a fourteenth of a validation pass at the default shapes).
   */
  INDArray forwardLast(Map<String, INDArray> p, INDArray n, Batch batch) {
    int b = batch.size();
    int length = batch.length();
    INDArray positions = n.reshape('c', b, length, width); // [B, L, d]
    INDArray last =
        positions.get(NDArrayIndex.all(), NDArrayIndex.point(length - 1), NDArrayIndex.all());
    INDArray q = qkv.forwardColumns(p, last, 0, width); // [B, d]
    INDArray keyQueries = Nd4j.createUninitialized(n.dataType(), heads, b, width); // [h, B, d]
    Nd4j.matmul(perHead(q, b), weightsPerHead(p, KEY), keyQueries, false, true, false);
    INDArray weights =
        Nd4j.matmul(keyQueries.permute(1, 0, 2), positions, false, true, false); // [B, h, L]
    INDArray lastMask =
        batch
            .maskBias()
            .get(
                NDArrayIndex.all(),
                NDArrayIndex.all(),
                NDArrayIndex.point(length - 1),
                NDArrayIndex.all()); // [B, h, L]
    softmax(weights.muli(scale).addi(lastMask));
    INDArray mixed = Nd4j.matmul(weights, positions); // Σ_j a_j n_j: [B, h, d]
    INDArray context = Nd4j.createUninitialized(n.dataType(), b, width); // [B, d]
    Nd4j.matmul(
        mixed.permute(1, 0, 2),
        weightsPerHead(p, VALUE),
        perHead(context, b),
        false,
        false,
        false); // [h, B, dh]
    Broadcast.addRow(context, qkv.biasColumns(p, 2 * width, 3 * width));
    return output.forward(p, context);
  }

  /** [B, d] rows as per-head [h, B, d/h] views. */
  private INDArray perHead(INDArray rows, int b) {
    return rows.reshape('c', b, heads, width / heads).permute(1, 0, 2);
  }

  /** Part {@code part} (K or V) of W_qkv [d, 3d] as per-head [h, d, d/h] views. */
  private INDArray weightsPerHead(Map<String, INDArray> p, int part) {
    return qkv.weightColumns(p, part * width, (part + 1) * width)
        .reshape('c', width, heads, width / heads)
        .permute(1, 0, 2);
  }

  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy, Batch batch) {
    INDArray ones = batch.ones();
    INDArray dContext = heads(output.backward(p, g, c.context(), dy, ones), batch);
    INDArray q = heads(c.qkv(), QUERY, batch);
    INDArray k = heads(c.qkv(), KEY, batch);
    INDArray v = heads(c.qkv(), VALUE, batch);
    INDArray dqkv = Nd4j.createUninitialized(dy.dataType(), dy.size(0), 3 * width);
    Nd4j.matmul(
        c.mixing(), dContext, heads(dqkv, VALUE, batch), true, false, false); // Pᵀ dC (P dropped)
    INDArray dScores = Nd4j.matmul(dContext, v, false, true, false); // dP: [B, h, L, L]
    Dropout.apply(dScores, c.weightsDrop());
    // Softmax backward: dS = P ⊙ (dP − Σ_j dP ⊙ P), then the 1/√dh scale.
    INDArray dRows = rows(dScores);
    INDArray weightRows = rows(c.weights());
    INDArray rowDot = dRows.mul(weightRows).sum(1); // [B·h·L]
    Broadcast.subColumn(dRows, rowDot.reshape(rowDot.length(), 1)).muli(weightRows).muli(scale);
    Nd4j.matmul(dScores, k, heads(dqkv, QUERY, batch), false, false, false); // dS K
    Nd4j.matmul(dScores, q, heads(dqkv, KEY, batch), true, false, false); // dSᵀ Q
    return qkv.backward(p, g, c.input(), dqkv, ones);
  }

  /** Part {@code part} (Q, K or V) of [B·L, 3d] rows as a [B, h, L, d/h] view. */
  private INDArray heads(INDArray rows, int part, Batch batch) {
    return rows.reshape('c', batch.size(), batch.length(), 3, heads, width / heads)
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
    Broadcast.subColumn(rows, rows.max(1).reshape(rows.size(0), 1));
    Transforms.exp(rows, false);
    Broadcast.divColumn(rows, rows.sum(1).reshape(rows.size(0), 1));
  }

  /**
   * Inference's softmax of the scaled float scores [B, h, L, L], in place: one loop on a heap copy
   * over the keys each query sees (j ≤ i, not padding), where {@link #softmax} with the mask bias
   * makes five ND4J passes and exp() of every masked key (the largest share of an inference pass
   * outside the matrix products). The same weights to rounding: a seen key's is exp(s·scale − max)
   * / Σ, a masked key's 0. A query that sees no key (padding) gets a row of zeros; nothing reads
   * it.
   */
  private void softmaxVisible(INDArray scores, Batch batch) {
    int length = batch.length();
    int[] ids = batch.ids();
    float[] w = buffers.readFloats(0, scores);
    float scaleF = (float) scale;
    for (int row = 0, o = 0; row < batch.size() * heads; row++) {
      int idsFrom = row / heads * length;
      for (int i = 0; i < length; i++, o += length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          w[o + j] *= scaleF;
          if (ids[idsFrom + j] != 0) {
            max = Math.max(max, w[o + j]);
          }
        }
        float sum = 0;
        for (int j = 0; j < length; j++) {
          boolean seen = j <= i && ids[idsFrom + j] != 0;
          w[o + j] = seen ? (float) Math.exp(w[o + j] - max) : 0f;
          sum += w[o + j];
        }
        for (int j = 0; j <= i && sum > 0; j++) {
          w[o + j] /= sum;
        }
      }
    }
    Buffers.write(w, scores);
  }

  /** Scores [..., L] (e.g. [B, h, L, L]) as a [B·h·…, L] view. */
  static INDArray rows(INDArray scores) {
    long last = scores.size(scores.rank() - 1);
    return scores.reshape('c', scores.length() / last, last);
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
