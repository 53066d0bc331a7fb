package dev.sasrec;

import dev.sasrec.cli.JobRunner;
import dev.sasrec.cli.PreprocessCommand;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.ModelDir;
import dev.sasrec.io.ModelVocabulary;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.PreprocessManifest;
import dev.sasrec.model.ModelCard;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The inputs of each job of the pipeline at the smallest size: a raw log, a real Preprocess output
 * of it and a model directory for it. The model is initialized, not trained: Recommend's checks
 * read its configuration and files, not its quality.
 */
public final class TinyPipeline {

  /** Width, blocks, heads and feed-forward size of the untrained model: the smallest valid. */
  private static final int HIDDEN = 4;

  private static final int BLOCKS = 1;
  private static final int HEADS = 1;
  private static final int FFN = 4;
  private static final double NO_DROPOUT = 0.0;
  private static final long SEED = 1;

  /** The k-core minimum that keeps every item and user of a tiny log. */
  public static final String KEEP_ALL = "1";

  private static final double LEARNING_RATE = 1e-3;

  private TinyPipeline() {}

  /** Writes a log of two users with four events each and returns its path. */
  public static Path log(Path dir) {
    return TestFiles.write(
        dir,
        "log.csv",
        "user_id,item_id,timestamp",
        "u,a,1",
        "u,b,2",
        "u,c,3",
        "u,d,4",
        "v,a,1",
        "v,c,2",
        "v,b,3",
        "v,d,4");
  }

  /** Runs Preprocess (needs the test Spark session) on {@link #log} into {@code dir/prep}. */
  public static Path preprocess(Path dir) {
    Path prep = dir.resolve("prep");
    preprocess(log(dir), prep);
    return prep;
  }

  /** Runs Preprocess (needs the test Spark session) from {@code input} into {@code prep}. */
  public static void preprocess(Path input, Path prep) {
    SparkTestSession.get();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        PreprocessCommand.COMMAND.execute(
            new String[] {
              "--input",
              input.toString(),
              "--output",
              prep.toString(),
              "--min-item-count",
              TinyPipeline.KEEP_ALL,
              "--min-user-count",
              TinyPipeline.KEEP_ALL
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    if (code != JobRunner.OK) {
      throw new IllegalStateException(
          "Cannot prepare test data: Preprocess exited "
              + code
              + " ("
              + err.toString(StandardCharsets.UTF_8)
              + ")");
    }
  }

  /**
   * Writes a model directory (model.zip, config.json, and the vocabulary of {@code prep}; needs the
   * test Spark session) at {@code modelDir} for the Preprocess output {@code prep}, with {@code
   * items} items (the output's own count gives a matching model; another, a damaged directory).
   */
  public static Path model(Path modelDir, Path prep, int items) {
    Configuration conf = new Configuration();
    JsonFiles json = new JsonFiles(conf);
    PreprocessLayout data = PreprocessLayout.at(prep.toString());
    PreprocessManifest manifest = json.read(data.manifest(), PreprocessManifest.class);
    ModelConfig model =
        ModelConfig.builder()
            .items(items)
            .maxLen(manifest.maxLen())
            .hidden(HIDDEN)
            .blocks(BLOCKS)
            .heads(HEADS)
            .ffn(FFN)
            .dropout(NO_DROPOUT)
            .activation(ModelConfig.Activation.GELU)
            .build();
    File zip = modelDir.resolve(ModelDir.MODEL_FILE).toFile();
    zip.getParentFile().mkdirs();
    try {
      ModelSerializer.writeModel(
          SASRecNetwork.create(model, SASRec.Targets.ALL, LEARNING_RATE, SEED), zip, false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write test model: " + e.getMessage(), e);
    }
    json.write(
        new org.apache.hadoop.fs.Path(modelDir.resolve(ModelDir.CONFIG_FILE).toString()),
        new ModelCard(
            model,
            SASRec.Targets.ALL,
            Objective.BCE,
            1,
            data.root().toString(),
            data.items().toString(),
            data.users().toString()));
    ModelVocabulary.write(SparkTestSession.get(), data, ModelDir.at(modelDir.toString()), false);
    return modelDir;
  }

  /** Items of a Preprocess output, from its manifest. */
  public static int items(Path prep) {
    PreprocessLayout data = PreprocessLayout.at(prep.toString());
    return new JsonFiles(new Configuration())
        .read(data.manifest(), PreprocessManifest.class)
        .items();
  }
}
