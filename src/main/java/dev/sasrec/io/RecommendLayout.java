package dev.sasrec.io;

import org.apache.hadoop.fs.Path;

/**
 * The path contract of a Recommend output.
 *
 * <pre>
 * &lt;root&gt;/recommendations/  --layout rows (default): one row per recommendation: user_id,
 *                          user_index, session, rank (1..K), item_id, item_index, score
 *                          --layout per-user: one record per list: user_id, [session with
 *                          --per session,] items array&lt;string&gt; (best first), scores array&lt;float&gt;
 *                          Parquet, or JSON lines with --format json; lists are not sorted
 * &lt;root&gt;/stats.json        lists, recommendations, lists without a recommendation by reason,
 *                          items skipped as unknown to the model ({@code RecommendStats})
 * &lt;root&gt;/embeddings/       Parquet (with --export-embeddings): item_id, item_index, vector
 * &lt;root&gt;/_SUCCESS          written last
 * </pre>
 *
 * <p>Item ids and indices are the model's ({@link ModelDir#items()}); user ids, user indices and
 * sessions are the Preprocess output's.
 */
public record RecommendLayout(Path root) {

  /** A recommendation's rank in its list, from 1. */
  public static final String RANK = "rank";

  /** The model's score of a recommended item. */
  public static final String SCORE = "score";

  /** A list's item ids, best first (per-user layout). */
  public static final String ITEMS = "items";

  /** A list's scores, in the order of its items (per-user layout). */
  public static final String SCORES = "scores";

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

  public Path stats() {
    return new Path(root, "stats.json");
  }

  public Path success() {
    return new Path(root, JobOutput.SUCCESS);
  }
}
