package dev.sasrec.model;

import java.util.Objects;

/**
 * {@code <run>/model/config.json}: what a trained model is (its configuration, targets, objective
 * and best epoch) and the Preprocess output and vocabularies it was trained on. Written by
 * TrainSASRec, read by Recommend; the paths of the model directory are {@code io.ModelDir}'s.
 */
public record ModelCard(
    ModelConfig model,
    SASRec.Targets targets,
    Objective objective,
    int bestEpoch,
    String preprocessOutput,
    String items,
    String users) {

  public ModelCard {
    Objects.requireNonNull(model, "model");
  }
}
