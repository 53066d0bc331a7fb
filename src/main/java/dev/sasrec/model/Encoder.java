package dev.sasrec.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

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

  private final LayerNorm embeddingNorm = new LayerNorm(ParamLayout.EMBEDDING_NORM);
  private final Dropout dropout;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm;

  Encoder(ModelConfig c) {
    this.dropout = new Dropout(c.dropout());
    for (int b = 0; b < c.blocks(); b++) {
      blocks.add(new TransformerBlock(b, c));
    }
    this.finalNorm = c.finalLayerNorm() ? new LayerNorm(ParamLayout.FINAL_NORM) : null;
  }

  Pass forward(Map<String, INDArray> p, Batch batch, boolean training, Random random) {
    LayerNorm.Cache[] en = new LayerNorm.Cache[1];
    INDArray x = embeddingNorm.forward(p, InputEmbedding.forward(p, batch), en); // [B·L, d]
    INDArray embeddingDrop = dropout.mask(x, training, random);
    x = Dropout.apply(x, embeddingDrop).muliColumnVector(batch.keep());
    List<TransformerBlock.Cache> caches = new ArrayList<>(blocks.size());
    for (TransformerBlock block : blocks) {
      TransformerBlock.Cache[] bc = new TransformerBlock.Cache[1];
      x = block.forward(p, x, batch, training, random, bc);
      caches.add(bc[0]);
    }
    LayerNorm.Cache[] fn = new LayerNorm.Cache[1];
    if (finalNorm != null) {
      x = finalNorm.forward(p, x, fn);
    }
    return new Pass(batch, x, en[0], embeddingDrop, caches, fn[0]);
  }

  void backward(Map<String, INDArray> p, Map<String, INDArray> g, Pass pass, INDArray dHidden) {
    INDArray dx = dHidden;
    if (finalNorm != null) {
      dx = finalNorm.backward(p, g, pass.finalNorm(), dx, pass.batch().ones());
    }
    for (int b = blocks.size() - 1; b >= 0; b--) {
      dx = blocks.get(b).backward(p, g, pass.blocks().get(b), dx, pass.batch());
    }
    dx = Dropout.apply(dx.mulColumnVector(pass.batch().keep()), pass.embeddingDrop());
    InputEmbedding.backward(
        g,
        pass.batch(),
        embeddingNorm.backward(p, g, pass.embeddingNorm(), dx, pass.batch().ones()));
  }
}
