package dev.sasrec.io;

import org.apache.hadoop.fs.Path;

/**
 * The path contract of a Recommend output.
 *
 * <pre>
 * &lt;root&gt;/recommendations/  Parquet: user_id, user_index, session, rank (1..K), item_id,
 *                          item_index, score
 * &lt;root&gt;/embeddings/       Parquet (with --export-embeddings): item_id, item_index, vector
 * &lt;root&gt;/_SUCCESS          written last
 * </pre>
 */
public record RecommendLayout(Path root) {

  /** A recommendation's rank in its list, from 1. */
  public static final String RANK = "rank";

  /** The model's score of a recommended item. */
  public static final String SCORE = "score";

  /** An item's embedding (its row of the output item table). */
  public static final String VECTOR = "vector";

  public static RecommendLayout at(String uri) {
    return new RecommendLayout(new Path(uri));
  }

  public Path recommendations() {
    return new Path(root, "recommendations");
  }

  public Path embeddings() {
    return new Path(root, "embeddings");
  }

  public Path success() {
    return new Path(root, JobOutput.SUCCESS);
  }
}
