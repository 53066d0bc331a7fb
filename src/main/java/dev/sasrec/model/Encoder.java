package dev.sasrec.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The SASRec encoder, top-down as in the paper: item + position embedding → LayerNorm → dropout → B
 * causal self-attention blocks → optional final LayerNorm. ids [B, L] → hidden [B·L, d].
 */
final class Encoder {

  /** Forward results and caches of one batch. */
  record Pass(
      Batch batch,
      INDArray hidden,
      LayerNorm.Cache embeddingNorm,
      INDArray embeddingDrop,
      List<TransformerBlock.Cache> blocks,
      LayerNorm.Cache finalNorm) {}

  private final Scope scope;
  private final InputEmbedding embedding;
  private final LayerNorm embeddingNorm;
  private final Dropout dropout;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm;

  Encoder(Scope scope, ModelConfig c) {
    // Heap copies for the layers' element loops, shared: the layers run one after the other.
    Buffers buffers = new Buffers();
    this.scope = scope;
    this.embedding = new InputEmbedding(scope, c);
    this.embeddingNorm = new LayerNorm(scope.key(ParamLayout.EMBEDDING_NORM), c.hidden(), buffers);
    this.dropout = new Dropout(c.dropout());
    for (int b = 0; b < c.blocks(); b++) {
      blocks.add(new TransformerBlock(scope, b, c, buffers));
    }
    this.finalNorm =
        c.finalLayerNorm()
            ? new LayerNorm(scope.key(ParamLayout.FINAL_NORM), c.hidden(), buffers)
            : null;
  }

  /** The embeddings, the embedding LayerNorm, every block's parts and the final LayerNorm. */
  List<ParamLayout.Part> parts() {
    List<ParamLayout.Part> parts = new ArrayList<>(embedding.parts());
    parts.add(new ParamLayout.Part(scope.name("embedding LayerNorm"), embeddingNorm.params()));
    for (TransformerBlock block : blocks) {
      parts.addAll(block.parts());
    }
    if (finalNorm != null) {
      parts.add(new ParamLayout.Part(scope.name("final LayerNorm"), finalNorm.params()));
    }
    return parts;
  }

  /** The key of the token table. */
  String tableKey() {
    return embedding.tableKey();
  }

  Pass forward(Map<String, INDArray> p, Batch batch, boolean training, Random random) {
    Forward<LayerNorm.Cache> en = embeddingNorm.forward(p, embedding.forward(p, batch));
    INDArray embeddingDrop = dropout.mask(en.output(), training, random);
    INDArray x = Broadcast.mulColumn(Dropout.apply(en.output(), embeddingDrop), batch.keep());
    List<TransformerBlock.Cache> caches = new ArrayList<>(blocks.size());
    for (TransformerBlock block : blocks) {
      Forward<TransformerBlock.Cache> out = block.forward(p, x, batch, training, random);
      caches.add(out.cache());
      x = out.output();
    }
    LayerNorm.Cache fn = null;
    if (finalNorm != null) {
      Forward<LayerNorm.Cache> out = finalNorm.forward(p, x);
      fn = out.cache();
      x = out.output();
    }
    return new Pass(batch, x, en.cache(), embeddingDrop, caches, fn);
  }

  /**
   * The state after the last position of each sequence, [B, d], in inference mode: the same values
   * as the last rows of {@link #forward}'s hidden states, but the last block computes its query,
   * attention and feed-forward for the last position only, without projecting every position's keys
   * and values ({@link CausalSelfAttention#forwardLast}).
   */
  INDArray lastStates(Map<String, INDArray> p, Batch batch) {
    INDArray x =
        Broadcast.mulColumn(embeddingNorm.infer(p, embedding.forward(p, batch)), batch.keep());
    INDArray last;
    if (blocks.isEmpty()) {
      last = lastPositions(x, batch);
    } else {
      for (TransformerBlock block : blocks.subList(0, blocks.size() - 1)) {
        x = block.infer(p, x, batch);
      }
      last = blocks.get(blocks.size() - 1).forwardLast(p, x, batch);
    }
    return finalNorm == null ? last : finalNorm.infer(p, last);
  }

  void backward(Map<String, INDArray> p, Map<String, INDArray> g, Pass pass, INDArray dHidden) {
    Batch batch = pass.batch();
    INDArray dx = dHidden;
    if (finalNorm != null) {
      dx = finalNorm.backward(p, g, pass.finalNorm(), dx);
    }
    for (int b = blocks.size() - 1; b >= 0; b--) {
      dx = blocks.get(b).backward(p, g, pass.blocks().get(b), dx, batch);
    }
    dx = Dropout.apply(Broadcast.timesColumn(dx, batch.keep()), pass.embeddingDrop());
    embedding.backward(g, batch, embeddingNorm.backward(p, g, pass.embeddingNorm(), dx));
  }

  /** Rows of the last position of each sequence: [B·L, d] → [B, d]. */
  static INDArray lastPositions(INDArray hidden, Batch batch) {
    long d = hidden.size(1);
    return hidden
        .reshape('c', batch.size(), batch.length(), d)
        .get(NDArrayIndex.all(), NDArrayIndex.point(batch.length() - 1), NDArrayIndex.all())
        .dup('c');
  }
}
