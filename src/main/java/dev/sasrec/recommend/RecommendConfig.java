package dev.sasrec.recommend;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.OptionSet;
import dev.sasrec.config.Options;
import dev.sasrec.io.JobOutput;
import org.apache.hadoop.fs.Path;

/** The typed, validated configuration of Recommend. Defaults: conf/recommend.properties. */
public record RecommendConfig(
    String model,
    String input,
    String output,
    int k,
    Per per,
    Layout layout,
    Format format,
    boolean excludeSeen,
    boolean exportEmbeddings,
    boolean overwrite,
    boolean dryRun) {

  /** The options of conf/recommend.properties. */
  public enum Key implements OptionKey {
    MODEL,
    INPUT,
    OUTPUT,
    K,
    PER,
    LAYOUT,
    FORMAT,
    EXCLUDE_SEEN,
    EXPORT_EMBEDDINGS,
    OVERWRITE,
    DRY_RUN
  }

  /** Every option of the job and its defaults file. */
  public static final OptionSet OPTIONS = OptionSet.of("recommend", Key.values());

  /** What gets a list of recommendations. */
  public enum Per {
    /** Each user, from their latest session. */
    USER,
    /** Every session. */
    SESSION
  }

  /** How the recommendations are laid out. */
  public enum Layout {
    /** One row per recommendation: the list's keys, rank, item and score. */
    ROWS,
    /** One record per list: its keys, the items best first and their scores (serving stores). */
    PER_USER
  }

  /** The file format of the recommendations. */
  public enum Format {
    PARQUET,
    /** JSON lines, one record per line. */
    JSON
  }

  /** The output directory, which may contain neither the model nor the Preprocess output. */
  public JobOutput.Target outputTarget() {
    return JobOutput.Target.dataset(
            "Recommend", new Path(output), JobOutput.IfExists.replaceWhen(overwrite), Key.OVERWRITE)
        .readingFrom(new Path(model), new Path(input));
  }

  public static RecommendConfig from(Options o) {
    return new RecommendConfig(
        o.required(Key.MODEL),
        o.required(Key.INPUT),
        o.required(Key.OUTPUT),
        o.integerAtLeast(Key.K, 1),
        o.choice(Key.PER, Per.class),
        o.choice(Key.LAYOUT, Layout.class),
        o.choice(Key.FORMAT, Format.class),
        o.bool(Key.EXCLUDE_SEEN),
        o.bool(Key.EXPORT_EMBEDDINGS),
        o.bool(Key.OVERWRITE),
        o.bool(Key.DRY_RUN));
  }
}
