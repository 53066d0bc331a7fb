package dev.sasrec.io;

import org.apache.hadoop.fs.Path;

/**
 * The path contract of a model directory ({@code <run>/model}, written by TrainSASRec, read by
 * Recommend).
 *
 * <pre>
 * &lt;dir&gt;/model.zip    the DL4J network (without updater state)
 * &lt;dir&gt;/config.json  the model card: configuration, targets, objective, best epoch, vocabularies
 * </pre>
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

  /** The model card ({@code config.json}). */
  public Path card() {
    return new Path(root, CONFIG_FILE);
  }
}
