package dev.sasrec.recommend;

import dev.sasrec.config.Options;

/** The typed, validated configuration of Recommend. Defaults: conf/recommend.properties. */
public record RecommendConfig(
    String model,
    String input,
    String output,
    int k,
    Per per,
    boolean excludeSeen,
    boolean exportEmbeddings,
    boolean overwrite,
    boolean dryRun) {

  /** What gets a list of recommendations. */
  public enum Per {
    /** Each user, from their latest session. */
    USER,
    /** Every session. */
    SESSION
  }

  public static RecommendConfig from(Options o) {
    return new RecommendConfig(
        o.required("model"),
        o.required("input"),
        o.required("output"),
        o.integerAtLeast("k", 1),
        o.choice("per", Per.class),
        o.bool("exclude-seen"),
        o.bool("export-embeddings"),
        o.bool("overwrite"),
        o.bool("dry-run"));
  }
}
