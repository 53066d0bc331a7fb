package dev.sasrec.train;

import dev.sasrec.text.Figures;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's checkpoints, written on one background thread in epoch order, with no Spark: an epoch's
 * network while its validation runs ({@link #fitted}), then its state ({@link #save}). At most one
 * write is in flight, so a failed write stops the run one epoch later at the latest; each file goes
 * through a temporary name and a rename ({@link Checkpoints}), so a killed run resumes from the
 * newest complete checkpoint.
 */
final class AsyncCheckpoints implements Trainer.CheckpointStore, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncCheckpoints.class);

  /** The network checkpoints are taken of and restored into. */
  interface Network {
    /** The current network. */
    MultiLayerNetwork current();

    /** The epoch whose parameters {@link #current} holds (0: the start's). */
    int epoch();

    /** Makes {@code next}, the parameters of {@code epoch}, the current network. */
    void replace(MultiLayerNetwork next, int epoch);
  }

  private final Checkpoints files;
  private final Network network;
  private final int epochs;

  /** One daemon thread: checkpoints are written in epoch order and never keep the JVM alive. */
  private final ExecutorService writer = BackgroundWriter.named("sasrec-checkpoints");

  private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

  /**
   * @param epochs the run's last epoch, for the log lines
   */
  AsyncCheckpoints(Checkpoints files, Network network, int epochs) {
    this.files = files;
    this.network = network;
    this.epochs = epochs;
  }

  /**
   * Starts writing the fitted network of {@code epoch} while the validation scores it: both only
   * read the parameters, and {@link #save} waits for the write before the next fit changes them, so
   * no copy of the network is needed (a copy is the network's size again: 1 GB at 634,381 items).
   */
  @Override
  public void fitted(int epoch) {
    await();
    MultiLayerNetwork fitted = network.current();
    pending =
        CompletableFuture.runAsync(
            () -> {
              long start = System.nanoTime();
              files.writeNetwork(fitted, epoch);
              LOG.info(
                  String.format(
                      Locale.ROOT,
                      "epoch %d/%d: checkpoint written (%s in %s)",
                      epoch,
                      epochs,
                      Figures.bytes(files.bytes(epoch)),
                      Figures.duration((System.nanoTime() - start) / 1e9)));
            },
            writer);
  }

  /**
   * Completes the checkpoint of the epoch just fitted: waits for its network, then writes its state
   * file beside the next fit.
   */
  @Override
  public void save(TrainingState state) {
    await();
    Checkpoints.State checkpoint = state.toCheckpoint();
    pending = CompletableFuture.runAsync(() -> files.writeState(checkpoint), writer);
  }

  @Override
  public void prune(int newest, int bestEpoch) {
    pending = pending.thenRunAsync(() -> files.prune(newest, bestEpoch), writer);
  }

  /**
   * Loads epoch {@code epoch}'s checkpoint into the network, unless it already is that epoch's (the
   * result is often the last epoch): loading reads the whole checkpoint, Adam's state included, and
   * holds a second network until the current one is closed.
   */
  @Override
  public void restore(int epoch) {
    await();
    if (epoch == network.epoch()) {
      return;
    }
    MultiLayerNetwork previous = network.current();
    network.replace(files.load(epoch), epoch);
    previous.close();
  }

  @Override
  public Optional<String> newest() {
    await();
    return files.epochs().stream().findFirst().map(e -> files.zip(e).toString());
  }

  /** Waits for the writes in flight; their failure is the caller's. */
  void await() {
    try {
      pending.join();
    } catch (CompletionException e) {
      pending = CompletableFuture.completedFuture(null);
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Waits for the writes in flight, then stops the writer thread. */
  @Override
  public void close() {
    try {
      await();
    } finally {
      writer.shutdown();
    }
  }
}
