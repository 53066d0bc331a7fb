package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NonFiniteLossTest {

  @TempDir Path dir;

  private static final ModelConfig TINY =
      new ModelConfig(5, 3, 4, 1, 2, 8, 0.0, ModelConfig.Activation.GELU, false);

  @Test
  void aNanLossStopsWithTheLastGoodCheckpoint() {
    MultiLayerNetwork net = SASRecNetwork.create(TINY, SASRec.Targets.ALL, 1e-3, 1);
    Checkpoints checkpoints =
        new Checkpoints(new org.apache.hadoop.fs.Path(dir.toString()), new Configuration());
    checkpoints.write(net, new Checkpoints.State(2, 2, 0.1, 0, java.util.List.of()));
    assertThatCode(() -> TrainJob.failIfNotFinite(net, 0.7, 3, checkpoints))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> TrainJob.failIfNotFinite(net, Double.NaN, 3, checkpoints))
        .hasMessageStartingWith("Cannot continue training: the loss is not finite in epoch 3")
        .hasMessageContaining("epoch-0002.zip");
    net.params().putScalar(0, Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> TrainJob.failIfNotFinite(net, 0.7, 3, checkpoints))
        .hasMessageContaining("not finite");
  }
}
