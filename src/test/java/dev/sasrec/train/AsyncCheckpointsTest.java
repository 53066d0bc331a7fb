package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background checkpoint writer, without Spark: order, restore and a failed write. */
class AsyncCheckpointsTest {

  @TempDir Path dir;

  /** A network holder as the Spark model is one. */
  private static final class Holder implements AsyncCheckpoints.Network {
    MultiLayerNetwork net;
    int epoch;
    int replaced;

    Holder(MultiLayerNetwork net) {
      this.net = net;
    }

    @Override
    public MultiLayerNetwork current() {
      return net;
    }

    @Override
    public int epoch() {
      return epoch;
    }

    @Override
    public void replace(MultiLayerNetwork next, int epoch) {
      this.net = next;
      this.epoch = epoch;
      replaced++;
    }
  }

  private Checkpoints checkpoints(Path where) {
    return new Checkpoints(new org.apache.hadoop.fs.Path(where.toUri()), new Configuration());
  }

  private static TrainingState state(int epoch) {
    return TrainingState.of(new Checkpoints.State(epoch, epoch, 0.1 * epoch, 0, List.of()));
  }

  @Test
  void anEpochIsItsFittedNetworkThenItsStateAndRestoreLoadsIt() {
    Checkpoints files = checkpoints(dir.resolve("checkpoints"));
    MultiLayerNetwork first = TinyModels.network(30, 4, 1);
    Holder holder = new Holder(first);
    try (AsyncCheckpoints store = new AsyncCheckpoints(files, holder, 2)) {
      holder.epoch = 1;
      store.fitted(1);
      store.save(state(1));
      assertThat(store.newest()).contains(files.zip(1).toString());

      holder.replace(TinyModels.network(30, 4, 2), 2);
      store.fitted(2);
      store.save(state(2));
      store.prune(1, 1);
      assertThat(store.newest()).contains(files.zip(2).toString());
      assertThat(files.epochs()).containsExactly(2, 1);

      // The network already holds epoch 2: nothing to load.
      int before = holder.replaced;
      store.restore(2);
      assertThat(holder.replaced).isEqualTo(before);
      store.restore(1);
      assertThat(holder.epoch).isEqualTo(1);
      assertThat(holder.net.params().equals(first.params())).isTrue();
    }
  }

  @Test
  void aFailedWriteStopsTheRunAtTheNextCall() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "in the way");
    Holder holder = new Holder(TinyModels.network(30, 4, 1));
    AsyncCheckpoints store =
        new AsyncCheckpoints(checkpoints(notADirectory.resolve("checkpoints")), holder, 1);
    holder.epoch = 1;
    store.fitted(1);
    assertThatThrownBy(() -> store.save(state(1))).hasMessageStartingWith("Cannot write");
    // Reported once: the store goes on.
    store.close();
  }
}
