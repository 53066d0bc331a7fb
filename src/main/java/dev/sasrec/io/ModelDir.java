package dev.sasrec.io;

import org.apache.hadoop.fs.Path;

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
 * which item each row of its table is.
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
}
