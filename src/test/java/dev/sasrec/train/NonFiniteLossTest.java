package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.SASRecNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** The DL4J side of the non-finite stop; the stop itself is the Trainer's (TrainerTest). */
class NonFiniteLossTest {

  private static final ModelConfig TINY =
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

  @Test
  void aNanOrInfiniteParameterIsNotFinite() {
    MultiLayerNetwork net = SASRecNetwork.create(TINY, SASRec.Targets.ALL, 1e-3, 1);
    assertThat(DistributedModel.parametersFinite(net)).isTrue();
    net.params().putScalar(0, Double.POSITIVE_INFINITY);
    assertThat(DistributedModel.parametersFinite(net)).isFalse();
    net.params().putScalar(0, Double.NaN);
    assertThat(DistributedModel.parametersFinite(net)).isFalse();
  }
}
