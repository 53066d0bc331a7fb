package dev.sasrec.train;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.SASRecNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The smallest SASRec network the training tests need (5 items, d 4, one block). */
final class TinyNetwork {

  static final ModelConfig CONFIG =
      ModelConfig.builder()
          .items(5)
          .maxLen(3)
          .hidden(4)
          .blocks(1)
          .heads(2)
          .ffn(8)
          .dropout(0.0)
          .activation(ModelConfig.Activation.GELU)
          .build();

  private TinyNetwork() {}

  /** A fresh network with Adam at {@code learningRate}. */
  static MultiLayerNetwork create(double learningRate) {
    return SASRecNetwork.create(CONFIG, SASRec.Targets.ALL, learningRate, 1);
  }
}
