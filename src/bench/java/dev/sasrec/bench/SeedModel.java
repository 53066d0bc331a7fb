package dev.sasrec.bench;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.train.Architecture;

/**
 * The model the benchmarks time: the declared defaults of TrainSASRec at Preprocess's default
 * sequence length, which is the seed's architecture that the PyTorch references in ../shared/bench/
 * implement too (d 128, 3 blocks, 2 heads, feed-forward 512, L 50).
 */
final class SeedModel {

  private SeedModel() {}

  /** The model over {@code items} items (83,631: the seed's own 11,306,368 parameters). */
  static ModelConfig of(int items) {
    return Architecture.ofDefaults()
        .forData(items, PreprocessConfig.Key.MAX_LEN.parsedDefault(), 0);
  }
}
