package dev.sasrec.model.dl4j;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/** Builds the one-layer MultiLayerNetwork that carries SASRec through DL4J and Spark. */
public final class SASRecNetwork {

  private SASRecNetwork() {}

  public static MultiLayerConfiguration configuration(
      ModelConfig model, SASRec.Targets targets, IUpdater updater, long seed, DataType type) {
    return configuration(model, targets, Objective.BCE, updater, seed, type);
  }

  public static MultiLayerConfiguration configuration(
      ModelConfig model,
      SASRec.Targets targets,
      Objective objective,
      IUpdater updater,
      long seed,
      DataType type) {
    return configuration(model, targets, objective, updater, ItemUpdates.DENSE, seed, type);
  }

  public static MultiLayerConfiguration configuration(
      ModelConfig model,
      SASRec.Targets targets,
      Objective objective,
      IUpdater updater,
      ItemUpdates itemUpdates,
      long seed,
      DataType type) {
    return new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(type)
        .updater(updater)
        .list()
        .layer(new SASRecLayer(model, targets, objective, seed, itemUpdates))
        .build();
  }

  /** An initialized float32 network trained with Adam at {@code learningRate}. */
  public static MultiLayerNetwork create(
      ModelConfig model, SASRec.Targets targets, double learningRate, long seed) {
    return create(model, targets, Objective.BCE, learningRate, seed);
  }

  public static MultiLayerNetwork create(
      ModelConfig model,
      SASRec.Targets targets,
      Objective objective,
      double learningRate,
      long seed) {
    return create(model, targets, objective, learningRate, ItemUpdates.DENSE, seed);
  }

  /** An initialized float32 network; {@code itemUpdates} chooses how Adam updates item tables. */
  public static MultiLayerNetwork create(
      ModelConfig model,
      SASRec.Targets targets,
      Objective objective,
      double learningRate,
      ItemUpdates itemUpdates,
      long seed) {
    return create(model, targets, objective, new Adam(learningRate), itemUpdates, seed);
  }

  /** An initialized float32 network trained with {@code adam}. */
  public static MultiLayerNetwork create(
      ModelConfig model,
      SASRec.Targets targets,
      Objective objective,
      Adam adam,
      ItemUpdates itemUpdates,
      long seed) {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            configuration(model, targets, objective, adam, itemUpdates, seed, DataType.FLOAT));
    net.init();
    return net;
  }

  /** The SASRec layer of a network built here. */
  public static SASRecLayerImpl layer(MultiLayerNetwork net) {
    return (SASRecLayerImpl) net.getLayer(0);
  }
}
