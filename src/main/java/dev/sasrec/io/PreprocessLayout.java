package dev.sasrec.io;

import org.apache.hadoop.fs.Path;

/**
 * The path contract of a Preprocess output directory, written once and used by every job.
 *
 * <pre>
 * &lt;root&gt;/sequences/{train,validation,test}/  Parquet, {@link SequenceSchema}
 * &lt;root&gt;/items/      Parquet vocabulary: index, id, count (index 0 = padding, not stored)
 * &lt;root&gt;/users/      Parquet vocabulary: index, id, count
 * &lt;root&gt;/rejected/   JSON lines: reason, source_file, raw (the original row)
 * &lt;root&gt;/categories/       with --item-meta: Parquet category vocabulary: index, id, count (items)
 * &lt;root&gt;/item-categories/  with --item-meta: Parquet item_index, category_index
 * &lt;root&gt;/rejected-item-meta/  with --item-meta: JSON lines: reason, raw (unusable metadata rows)
 * &lt;root&gt;/stats.json  counts, drop reasons, lengths, time range
 * &lt;root&gt;/profile.json  distributions for reports: sequence lengths, item popularity
 * &lt;root&gt;/manifest.json  schema version, configuration, counts
 * &lt;root&gt;/_SUCCESS   written last
 * </pre>
 */
public record PreprocessLayout(Path root) {

  public PreprocessLayout {
    java.util.Objects.requireNonNull(root, "root");
  }

  public static PreprocessLayout at(String uri) {
    return new PreprocessLayout(new Path(uri));
  }

  public Path sequences() {
    return new Path(root, "sequences");
  }

  public Path sequences(Split split) {
    return new Path(sequences(), split.dirName());
  }

  public Path items() {
    return new Path(root, "items");
  }

  public Path users() {
    return new Path(root, "users");
  }

  public Path categories() {
    return new Path(root, "categories");
  }

  public Path itemCategories() {
    return new Path(root, "item-categories");
  }

  public Path itemMetaRejected() {
    return new Path(root, "rejected-item-meta");
  }

  public Path rejected() {
    return new Path(root, "rejected");
  }

  public Path stats() {
    return new Path(root, "stats.json");
  }

  public Path profile() {
    return new Path(root, "profile.json");
  }

  public Path manifest() {
    return new Path(root, "manifest.json");
  }

  public Path success() {
    return new Path(root, JobOutput.SUCCESS);
  }
}
