package dev.sasrec.bench;

import dev.sasrec.model.ModelConfig;

/** The seed's architecture, which the PyTorch references in ../shared/bench/ implement too. */
final class SeedModel {

  static final int MAX_LEN = 50;
  static final int HIDDEN = 128;
  static final int BLOCKS = 3;
  static final int HEADS = 2;
  static final int FFN = 512;
  static final double DROPOUT = 0.2;

  private SeedModel() {}

  /** The seed model over {@code items} items (83,631: the seed's own 11,306,368 parameters). */
  static ModelConfig of(int items) {
    return ModelConfig.builder()
        .items(items)
        .maxLen(MAX_LEN)
        .hidden(HIDDEN)
        .blocks(BLOCKS)
        .heads(HEADS)
        .ffn(FFN)
        .dropout(DROPOUT)
        .activation(ModelConfig.Activation.GELU)
        .build();
  }
}
