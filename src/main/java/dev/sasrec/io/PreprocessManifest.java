package dev.sasrec.io;

import dev.sasrec.config.Refusal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * {@code manifest.json} of a Preprocess output: what TrainSASRec checks before it reads the
 * sequences. {@code categories}: item categories from {@code --item-meta} (0 = none). Bump {@link
 * #SCHEMA_VERSION} whenever {@link SequenceSchema} or the layout changes.
 */
public record PreprocessManifest(
    int schemaVersion,
    String job,
    int maxLen,
    int items,
    int users,
    int categories,
    long trainExamples,
    long validationExamples,
    long testExamples,
    Map<String, String> config) {

  public static final int SCHEMA_VERSION = 2;
  public static final String JOB = "Preprocess";

  public PreprocessManifest {
    Objects.requireNonNull(job, "job");
    config = new TreeMap<>(config);
  }

  /** The validated manifest of a complete Preprocess output (one with {@code _SUCCESS}). */
  public static PreprocessManifest read(PreprocessLayout data, Configuration hadoopConf) {
    try {
      FileSystem fs = data.root().getFileSystem(hadoopConf);
      if (!fs.exists(data.success())) {
        throw new Refusal(
            "Cannot use Preprocess output: no _SUCCESS, the run is incomplete or the path is wrong ("
                + data.root()
                + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read input: " + e.getMessage() + " (" + data.root() + ")", e);
    }
    PreprocessManifest manifest =
        new JsonFiles(hadoopConf).read(data.manifest(), PreprocessManifest.class);
    manifest.validate(data.manifest().toString());
    return manifest;
  }

  /**
   * Checks that this manifest describes data TrainSASRec can read; {@code where} names the file in
   * the error.
   */
  public void validate(String where) {
    if (!JOB.equals(job)) {
      throw new Refusal(
          "Cannot use Preprocess output: manifest job is '"
              + job
              + "', expected "
              + JOB
              + " ("
              + where
              + ")");
    }
    if (schemaVersion != SCHEMA_VERSION) {
      throw new Refusal(
          "Cannot use Preprocess output: schemaVersion "
              + schemaVersion
              + ", this build reads "
              + SCHEMA_VERSION
              + "; run Preprocess again ("
              + where
              + ")");
    }
    if (items < 1 || maxLen < 1 || trainExamples < 1 || categories < 0) {
      throw new Refusal(
          "Cannot use Preprocess output: no items or no training examples (items="
              + items
              + ", maxLen="
              + maxLen
              + ", trainExamples="
              + trainExamples
              + ", "
              + where
              + ")");
    }
  }
}
