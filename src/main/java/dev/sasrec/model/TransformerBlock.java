package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * One pre-LN block: x + Dropout(Attention(LN(x))), then + Dropout(FFN(LN(·))); padded positions are
 * zeroed afterwards (as pmixer/SASRec.pytorch does). x: [B·L, d].
 */
final class TransformerBlock {

  /** What the backward pass needs. */
  record Cache(
      LayerNorm.Cache norm1,
      CausalSelfAttention.Cache attention,
      INDArray attentionDrop,
      LayerNorm.Cache norm2,
      FeedForward.Cache feedForward,
      INDArray feedForwardDrop) {}

  private final LayerNorm norm1;
  private final CausalSelfAttention attention;
  private final LayerNorm norm2;
  private final FeedForward feedForward;
  private final Dropout dropout;

  TransformerBlock(int index, ModelConfig c) {
    String p = ParamLayout.block(index);
    this.norm1 = new LayerNorm(p + "ln1");
    this.attention = new CausalSelfAttention(p, c.heads());
    this.norm2 = new LayerNorm(p + "ln2");
    this.feedForward = new FeedForward(p, c.activation());
    this.dropout = new Dropout(c.dropout());
  }

  /** {@code keep}: [B·L, 1], 1 for items and 0 for padding. */
  INDArray forward(
      Map<String, INDArray> p,
      INDArray x,
      Batch batch,
      boolean training,
      Random random,
      Cache[] cache) {
    LayerNorm.Cache[] n1 = new LayerNorm.Cache[1];
    CausalSelfAttention.Cache[] at = new CausalSelfAttention.Cache[1];
    LayerNorm.Cache[] n2 = new LayerNorm.Cache[1];
    FeedForward.Cache[] ff = new FeedForward.Cache[1];
    INDArray a =
        attention.forward(
            p, norm1.forward(p, x, n1), batch.maskBias(), batch.size(), batch.length(), at);
    INDArray attentionDrop = dropout.mask(a, training, random);
    INDArray x1 = Dropout.apply(a, attentionDrop).addi(x);
    INDArray f = feedForward.forward(p, norm2.forward(p, x1, n2), ff);
    INDArray feedForwardDrop = dropout.mask(f, training, random);
    INDArray x2 = Dropout.apply(f, feedForwardDrop).addi(x1).muliColumnVector(batch.keep());
    cache[0] = new Cache(n1[0], at[0], attentionDrop, n2[0], ff[0], feedForwardDrop);
    return x2;
  }

  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy, Batch batch) {
    INDArray dx1 = dy.mulColumnVector(batch.keep());
    INDArray df = Dropout.apply(dx1.dup(), c.feedForwardDrop());
    INDArray ones = batch.ones();
    dx1.addi(
        norm2.backward(
            p, g, c.norm2(), feedForward.backward(p, g, c.feedForward(), df, ones), ones));
    INDArray da = Dropout.apply(dx1.dup(), c.attentionDrop());
    INDArray dAttentionIn = attention.backward(p, g, c.attention(), da, batch);
    return dx1.addi(norm1.backward(p, g, c.norm1(), dAttentionIn, ones));
  }
}
