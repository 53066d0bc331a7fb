package dev.sasrec.io;

import org.apache.hadoop.fs.Path;

/**
 * The path contract of a TrainSASRec run directory.
 *
 * <pre>
 * &lt;root&gt;/metrics.csv, metrics.jsonl   one row per epoch
 * &lt;root&gt;/results.json, results.md     test metrics of the best epoch
 * &lt;root&gt;/img/*.png                    loss, accuracy, ranking; rewritten after every epoch
 * &lt;root&gt;/checkpoints/epoch-NNNN.zip   DL4J model with updater state, + epoch-NNNN.json
 * &lt;root&gt;/model/model.zip, model/config.json   the best model, its configuration and data
 * &lt;root&gt;/run.json                     the resolved options and training-master settings
 * </pre>
 */
public record TrainLayout(Path root) {

  public static TrainLayout at(String uri) {
    return new TrainLayout(new Path(uri));
  }

  public Path metricsCsv() {
    return new Path(root, "metrics.csv");
  }

  public Path metricsJsonl() {
    return new Path(root, "metrics.jsonl");
  }

  public Path results() {
    return new Path(root, "results.json");
  }

  public Path resultsTable() {
    return new Path(root, "results.md");
  }

  public Path image(String name) {
    return new Path(new Path(root, "img"), name + ".png");
  }

  public Path checkpoints() {
    return new Path(root, "checkpoints");
  }

  public ModelDir modelDir() {
    return new ModelDir(new Path(root, "model"));
  }

  public Path model() {
    return modelDir().network();
  }

  public Path modelConfig() {
    return modelDir().card();
  }

  public Path run() {
    return new Path(root, "run.json");
  }
}
