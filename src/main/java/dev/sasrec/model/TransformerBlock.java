package dev.sasrec.model;

import java.util.List;
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

  private final Scope scope;
  private final int index;
  private final LayerNorm norm1;
  private final CausalSelfAttention attention;
  private final LayerNorm norm2;
  private final FeedForward feedForward;
  private final Dropout dropout;

  TransformerBlock(Scope scope, int index, ModelConfig c, Buffers buffers) {
    String p = scope.key(ParamLayout.block(index));
    this.scope = scope;
    this.index = index;
    this.norm1 = new LayerNorm(p + "ln1", c.hidden(), buffers);
    this.attention = new CausalSelfAttention(p, c, buffers);
    this.norm2 = new LayerNorm(p + "ln2", c.hidden(), buffers);
    this.feedForward = new FeedForward(p, c, buffers);
    this.dropout = new Dropout(c.dropout());
  }

  List<ParamLayout.Part> parts() {
    String name = scope.name("block " + index + " ");
    return List.of(
        new ParamLayout.Part(name + "LayerNorm 1", norm1.params()),
        new ParamLayout.Part(name + "attention", attention.params()),
        new ParamLayout.Part(name + "LayerNorm 2", norm2.params()),
        new ParamLayout.Part(name + "feed-forward", feedForward.params()));
  }

  Forward<Cache> forward(
      Map<String, INDArray> p, INDArray x, Batch batch, boolean training, Random random) {
    Forward<LayerNorm.Cache> n1 = norm1.forward(p, x);
    Forward<CausalSelfAttention.Cache> at =
        attention.forward(p, n1.output(), batch, training, random);
    INDArray attentionDrop = dropout.mask(at.output(), training, random);
    INDArray x1 = Dropout.apply(at.output(), attentionDrop).addi(x);
    Forward<LayerNorm.Cache> n2 = norm2.forward(p, x1);
    Forward<FeedForward.Cache> ff = feedForward.forward(p, n2.output(), training, random);
    INDArray feedForwardDrop = dropout.mask(ff.output(), training, random);
    INDArray x2 =
        Broadcast.mulColumn(Dropout.apply(ff.output(), feedForwardDrop).addi(x1), batch.keep());
    return new Forward<>(
        x2,
        new Cache(n1.cache(), at.cache(), attentionDrop, n2.cache(), ff.cache(), feedForwardDrop));
  }

  /** Inference at every position, no dropout and nothing kept for a backward pass: [B·L, d]. */
  INDArray infer(Map<String, INDArray> p, INDArray x, Batch batch) {
    INDArray x1 = attention.infer(p, norm1.infer(p, x), batch).addi(x);
    return Broadcast.mulColumn(feedForward.infer(p, norm2.infer(p, x1)).addi(x1), batch.keep());
  }

  /**
   * Inference at the last position of each sequence only: [B·L, d] → [B, d]. Attention reads keys
   * and values of every position; everything else runs on the last row alone.
   */
  INDArray forwardLast(Map<String, INDArray> p, INDArray x, Batch batch) {
    INDArray x1 =
        attention.forwardLast(p, norm1.infer(p, x), batch).addi(Encoder.lastPositions(x, batch));
    INDArray f = feedForward.infer(p, norm2.infer(p, x1));
    return Broadcast.mulColumn(f.addi(x1), batch.lastKeep());
  }

  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy, Batch batch) {
    INDArray dx1 = Broadcast.timesColumn(dy, batch.keep());
    INDArray df = Dropout.apply(dx1.dup(), c.feedForwardDrop());
    INDArray ones = batch.ones();
    dx1.addi(
        norm2.backward(p, g, c.norm2(), feedForward.backward(p, g, c.feedForward(), df, ones)));
    INDArray da = Dropout.apply(dx1.dup(), c.attentionDrop());
    INDArray dAttentionIn = attention.backward(p, g, c.attention(), da, batch);
    return dx1.addi(norm1.backward(p, g, c.norm1(), dAttentionIn));
  }
}
