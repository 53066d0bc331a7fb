package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** The DL4J side of the non-finite stop; the stop itself is the Trainer's (TrainerTest). */
class NonFiniteLossTest {

  @Test
  void aNanOrInfiniteParameterIsNotFinite() {
    MultiLayerNetwork net = TinyNetwork.create(1e-3);
    assertThat(DistributedModel.parametersFinite(net)).isTrue();
    net.params().putScalar(0, Double.POSITIVE_INFINITY);
    assertThat(DistributedModel.parametersFinite(net)).isFalse();
    net.params().putScalar(0, Double.NaN);
    assertThat(DistributedModel.parametersFinite(net)).isFalse();
  }
}
