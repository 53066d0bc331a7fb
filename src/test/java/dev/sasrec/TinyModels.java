package dev.sasrec;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.ItemUpdates;
import dev.sasrec.model.dl4j.SASRecNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A tiny SASRec (d 8, one block of 2 heads, feed-forward 16, no dropout) for tests of plumbing. */
public final class TinyModels {

  private TinyModels() {}

  /** The configuration for {@code items} items and sequences of {@code maxLen}. */
  public static ModelConfig config(int items, int maxLen) {
    return ModelConfig.builder()
        .items(items)
        .maxLen(maxLen)
        .hidden(8)
        .blocks(1)
        .heads(2)
        .ffn(16)
        .dropout(0.0)
        .activation(ModelConfig.Activation.GELU)
        .build();
  }

  /** Its network with lazy Adam on the item table, initialized from {@code seed}. */
  public static MultiLayerNetwork network(int items, int maxLen, long seed) {
    return SASRecNetwork.create(
        config(items, maxLen), SASRec.Targets.ALL, Objective.BCE, 0.01, ItemUpdates.SPARSE, seed);
  }
}
