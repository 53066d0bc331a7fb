package dev.sasrec.io;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;

/**
 * {@code <run>/model/config.json}: the model's configuration and where its vocabularies are.
 * Written by TrainSASRec, read by Recommend.
 */
public record ModelDir(
    ModelConfig model,
    SASRec.Targets targets,
    Objective objective,
    int bestEpoch,
    String preprocessOutput,
    String items,
    String users) {

  public static final String MODEL_FILE = "model.zip";
  public static final String CONFIG_FILE = "config.json";

  public ModelDir {
    java.util.Objects.requireNonNull(model, "model");
  }
}
