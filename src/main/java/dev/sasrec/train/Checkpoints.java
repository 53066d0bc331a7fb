package dev.sasrec.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sasrec.io.AtomicFile;
import dev.sasrec.model.dl4j.ModelZip;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-epoch checkpoints on any Hadoop file system: {@code epoch-NNNN.zip} (the network with its
 * Adam state) and {@code epoch-NNNN.json} (the training state), each written under a temporary name
 * and renamed ({@link AtomicFile}). The JSON is written last, so a checkpoint counts only when it
 * exists and the model loads; anything partial or corrupt is skipped on resume.
 */
public final class Checkpoints {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final Pattern NAME = Pattern.compile("epoch-(\\d+)\\.json");

  /** Everything besides the network that a resumed run needs. */
  public record State(
      int epoch,
      int bestEpoch,
      double bestNdcg,
      int epochsWithoutImprovement,
      List<Map<String, Object>> history) {}

  /** A checkpoint that loaded. */
  public record Loaded(State state, MultiLayerNetwork network) {}

  private final Path dir;
  private final Configuration conf;
  private final ObjectMapper json = new ObjectMapper();

  public Checkpoints(Path dir, Configuration conf) {
    this.dir = dir;
    this.conf = conf;
  }

  /** Where the checkpoints are. */
  public Path directory() {
    return dir;
  }

  /**
   * Moves every checkpoint aside into a sibling directory ({@code checkpoints.unusable-<millis>}),
   * so that a run starting over does not mix its epochs with them; returns where they went.
   */
  public Path setAside() {
    Path aside =
        new Path(dir.getParent(), dir.getName() + ".unusable-" + System.currentTimeMillis());
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.rename(dir, aside)) {
        throw new IOException("rename failed: " + dir + " -> " + aside);
      }
      return aside;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot set unusable checkpoints aside: " + e.getMessage() + " (" + dir + ")", e);
    }
  }

  public Path zip(int epoch) {
    return new Path(dir, String.format("epoch-%04d.zip", epoch));
  }

  public Path stateFile(int epoch) {
    return new Path(dir, String.format("epoch-%04d.json", epoch));
  }

  /**
   * Writes epoch {@code epoch}'s network with its updater state: the first half of a checkpoint,
   * which counts only once {@link #writeState} has written its state file.
   */
  public void writeNetwork(MultiLayerNetwork net, int epoch) {
    Path zip = zip(epoch);
    try {
      FileSystem fs = dir.getFileSystem(conf);
      fs.mkdirs(dir);
      AtomicFile.reused(fs, zip)
          .write(out -> ModelZip.write(net, out, ModelZip.Contents.PARAMETERS_AND_UPDATER));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write checkpoint: " + e.getMessage() + " (" + zip + ")", e);
    }
  }

  /** Writes the training state of a checkpoint whose network {@link #writeNetwork} wrote. */
  public void writeState(State state) {
    Path stateFile = stateFile(state.epoch());
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(zip(state.epoch()))) {
        throw new IOException("its network was not written first");
      }
      AtomicFile.reused(fs, stateFile).write(out -> json.writeValue(out, state));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write checkpoint: " + e.getMessage() + " (" + stateFile + ")", e);
    }
  }

  /** The size of epoch {@code epoch}'s network file. */
  public long bytes(int epoch) {
    try {
      return dir.getFileSystem(conf).getFileStatus(zip(epoch)).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read checkpoint size: " + e.getMessage() + " (" + zip(epoch) + ")", e);
    }
  }

  /** The newest checkpoint that loads completely, if any. */
  public Optional<Loaded> newest() {
    for (int epoch : epochs()) {
      try {
        FileSystem fs = dir.getFileSystem(conf);
        State state;
        try (InputStream in = fs.open(stateFile(epoch))) {
          state = json.readValue(in, State.class);
        }
        MultiLayerNetwork net;
        try (InputStream in = fs.open(zip(epoch))) {
          net = ModelZip.read(in, ModelZip.Contents.PARAMETERS_AND_UPDATER);
        }
        return Optional.of(new Loaded(state, net));
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "Skipping checkpoint of epoch {}: it is incomplete or corrupt ({})",
            epoch,
            e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Loads the network of one epoch. */
  public MultiLayerNetwork load(int epoch) {
    try (InputStream in = zip(epoch).getFileSystem(conf).open(zip(epoch))) {
      return ModelZip.read(in, ModelZip.Contents.PARAMETERS_AND_UPDATER);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot load checkpoint: " + e.getMessage() + " (" + zip(epoch) + ")", e);
    }
  }

  /** Deletes all but the newest {@code keep} checkpoints and the best one. */
  public void prune(int keep, int bestEpoch) {
    List<Integer> epochs = epochs();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      for (int i = keep; i < epochs.size(); i++) {
        int epoch = epochs.get(i);
        if (epoch != bestEpoch) {
          fs.delete(stateFile(epoch), false);
          fs.delete(zip(epoch), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prune checkpoints: " + e.getMessage(), e);
    }
  }

  /** Epochs with a state file, newest first. */
  public List<Integer> epochs() {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) {
        return List.of();
      }
      List<Integer> epochs = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        Matcher m = NAME.matcher(s.getPath().getName());
        if (m.matches()) {
          epochs.add(Integer.parseInt(m.group(1)));
        }
      }
      epochs.sort(Comparator.reverseOrder());
      return epochs;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list checkpoints: " + e.getMessage() + " (" + dir + ")", e);
    }
  }
}
