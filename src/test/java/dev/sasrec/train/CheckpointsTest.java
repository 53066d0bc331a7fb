package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.TinyModels;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint is its network, then its state; only both together count. */
class CheckpointsTest {

  @TempDir Path dir;

  private static MultiLayerNetwork network(long seed) {
    return TinyModels.network(30, 4, seed);
  }

  private Checkpoints checkpoints() {
    return new Checkpoints(
        new org.apache.hadoop.fs.Path(dir.resolve("checkpoints").toUri()), new Configuration());
  }

  private static Checkpoints.State state(int epoch) {
    return new Checkpoints.State(epoch, epoch, 0.1 * epoch, 0, List.of());
  }

  @Test
  void aNetworkWithoutItsStateIsNotACheckpoint() {
    Checkpoints checkpoints = checkpoints();
    MultiLayerNetwork first = network(1);
    checkpoints.writeNetwork(first, 1);
    checkpoints.writeState(state(1));
    checkpoints.writeNetwork(network(2), 2);

    // Epoch 2's network was written (as when a run dies during its validation); epoch 1 counts.
    assertThat(checkpoints.epochs()).containsExactly(1);
    Checkpoints.Loaded newest = checkpoints.newest().orElseThrow();
    assertThat(newest.state().epoch()).isEqualTo(1);
    assertThat(newest.network().params().equals(first.params())).isTrue();
    assertThat(newest.network().getUpdater().getStateViewArray())
        .isEqualTo(first.getUpdater().getStateViewArray());

    checkpoints.writeState(state(2));
    assertThat(checkpoints.epochs()).containsExactly(2, 1);
    assertThat(checkpoints.bytes(2)).isGreaterThan(4L * first.params().length());
  }

  @Test
  void aStateWithoutItsNetworkIsRefused() {
    Checkpoints checkpoints = checkpoints();

    assertThatThrownBy(() -> checkpoints.writeState(state(3)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("Cannot write checkpoint: its network was not written first")
        .hasMessageContaining("epoch-0003.json");
    assertThat(checkpoints.epochs()).isEmpty();
  }
}
