package dev.sasrec.recommend;

import dev.sasrec.config.OptionSet;
import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
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

  /**
   * The options of the job, each declared once: the command line, its help and
   * conf/recommend.properties derive from these.
   */
  public static final class Key {
    private Key() {}

    public static final Param<String> MODEL =
        Param.uri("model")
            .required()
            .doc("Model directory of a TrainSASRec run (<run>/model: model.zip and config.json).");

    public static final Param<String> INPUT =
        Param.uri("input")
            .required()
            .doc(
                "Preprocess output whose sequences give each user's latest history: any run over "
                    + "the same ids (histories are mapped through the model's own vocabulary, "
                    + "<model>/items; unknown items are skipped and counted).");

    public static final Param<String> OUTPUT =
        Param.uri("output")
            .required()
            .doc(
                "Output location (any Hadoop URI): recommendations/, stats.json, and embeddings/ "
                    + "with --export-embeddings.");

    public static final Param<Integer> K =
        Param.integer("k", 10)
            .atLeast(1)
            .doc("Recommendations per user (or per session); at most the model's item count.");

    public static final Param<Per> PER =
        Param.choice("per", Per.USER)
            .doc("Recommend per user (the latest session) | per session (every session).");

    public static final Param<Layout> LAYOUT =
        Param.choice("layout", Layout.ROWS)
            .doc(
                "Layout of recommendations/: rows (one row per recommendation: user_id, "
                    + "user_index, session, rank, item_id, item_index, score) | per-user (one record "
                    + "per list: user_id, items, scores; for serving).");

    public static final Param<Format> FORMAT =
        Param.choice("format", Format.PARQUET)
            .doc("Format of recommendations/: parquet | json (JSON lines).");

    public static final Param<Boolean> EXCLUDE_SEEN =
        Param.bool("exclude-seen", true).doc("Leave out items already in the history.");

    public static final Param<Boolean> EXPORT_EMBEDDINGS =
        Param.bool("export-embeddings", false)
            .doc("Also write the item embeddings (raw id, vector) for nearest-neighbour serving.");

    public static final Param<Boolean> OVERWRITE =
        Param.bool("overwrite", false).doc("Replace an existing output.");

    public static final Param<Boolean> DRY_RUN =
        Param.bool("dry-run", false)
            .doc(
                "Validate the configuration, the model directory (network, card, vocabulary), the "
                    + "Preprocess output (manifest, items the model knows) and the output path, print "
                    + "the plan and exit (no Spark job).");
  }

  /** Every option of the job. */
  public static final OptionSet OPTIONS =
      OptionSet.of(
          "recommend",
          "Defaults of the Recommend job: every key is a command-line option (--key value; a"
              + " true/false option also stands alone: --overwrite means --overwrite true).\n"
              + "Precedence: these defaults < a file given with --config < options on the command"
              + " line.",
          Key.class);

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
            new Path(output), JobOutput.IfExists.replaceWhen(overwrite), Key.OVERWRITE)
        .readingFrom(new Path(model), new Path(input));
  }

  public static RecommendConfig from(Options o) {
    return new RecommendConfig(
        Key.MODEL.get(o),
        Key.INPUT.get(o),
        Key.OUTPUT.get(o),
        Key.K.get(o),
        Key.PER.get(o),
        Key.LAYOUT.get(o),
        Key.FORMAT.get(o),
        Key.EXCLUDE_SEEN.get(o),
        Key.EXPORT_EMBEDDINGS.get(o),
        Key.OVERWRITE.get(o),
        Key.DRY_RUN.get(o));
  }
}
