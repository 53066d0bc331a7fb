package dev.sasrec.io;

import dev.sasrec.model.ModelCard;
import dev.sasrec.model.dl4j.ModelZip;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The path contract of a model directory ({@code <run>/model}, written by TrainSASRec, read by
 * Recommend).
 *
 * <pre>
 * &lt;dir&gt;/model.zip    the DL4J network (without updater state)
 * &lt;dir&gt;/config.json  the model card: configuration, targets, objective, best epoch, and the
 *                    Preprocess output it was trained on
 * &lt;dir&gt;/items/       Parquet: index (int, 1..N: the rows of the item table), id (string, the raw
 *                    item id), and for CAFE category (int, 1..C); the model's own vocabulary
 * &lt;dir&gt;/categories/  CAFE only. Parquet: index (int, 1..C), id (string, the category)
 * </pre>
 *
 * <p>The vocabulary is copied from the Preprocess output at training time ({@link
 * ModelVocabulary}): Preprocess renumbers items on every run, so only the model's own copy says
 * which item each row of its table is. The network and its card are saved and loaded here ({@link
 * #save}, {@link #loadNetwork}, {@link #readCard}), by TrainSASRec, Recommend and the benchmarks.
 */
public record ModelDir(Path root) {

  public static final String MODEL_FILE = "model.zip";
  public static final String CONFIG_FILE = "config.json";

  public ModelDir {
    java.util.Objects.requireNonNull(root, "root");
  }

  public static ModelDir at(String uri) {
    return new ModelDir(new Path(uri));
  }

  /** The network. */
  public Path network() {
    return new Path(root, MODEL_FILE);
  }

  /** The model's item vocabulary ({@link ModelVocabulary}). */
  public Path items() {
    return new Path(root, "items");
  }

  /** The model's category vocabulary (CAFE). */
  public Path categories() {
    return new Path(root, "categories");
  }

  /** The model card ({@code config.json}). */
  public Path card() {
    return new Path(root, CONFIG_FILE);
  }

  /** Writes the network (its parameters, without the updater state) and its card. */
  public void save(MultiLayerNetwork net, ModelCard modelCard, Configuration conf) {
    Path network = network();
    try {
      FileSystem fs = network.getFileSystem(conf);
      fs.mkdirs(root);
      try (OutputStream out = fs.create(network, true)) {
        ModelZip.write(net, out, ModelZip.Contents.PARAMETERS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write model: " + e.getMessage() + " (" + network + ")", e);
    }
    new JsonFiles(conf).write(card(), modelCard);
  }

  /** The network, streamed from {@code model.zip}. */
  public MultiLayerNetwork loadNetwork(Configuration conf) {
    Path network = network();
    try (InputStream in = network.getFileSystem(conf).open(network)) {
      return ModelZip.read(in, ModelZip.Contents.PARAMETERS);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot load model: " + e.getMessage() + " (" + network + ")", e);
    }
  }

  /** The model card. */
  public ModelCard readCard(Configuration conf) {
    return new JsonFiles(conf).read(card(), ModelCard.class);
  }
}
