package dev.sasrec.train;

import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.SASRecLayerImpl;
import dev.sasrec.model.dl4j.SASRecNetwork;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs around every training step on the workers of parameter averaging: before it, tells the layer
 * which worker it trains on (its dropout stream); after it, adds the step's loss, scored positions
 * and binary decisions, as the layer computed them for the update, to the epoch's {@link
 * FitAccumulator}. No second pass over the training rows is needed for train_loss.
 */
final class FitHook implements TrainingHook {

  private final FitAccumulator sums;

  FitHook(FitAccumulator sums) {
    this.sums = sums;
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    TaskContext task = TaskContext.get();
    layer(model).setWorker(task == null ? 0 : task.partitionId());
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {
    SASRec.Step step = layer(model).lastStep();
    sums.add(
        FitSums.step(
            minibatch.numExamples(),
            step.loss(),
            step.positions(),
            step.correct(),
            step.decisions()));
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    throw notAGraph();
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {
    throw notAGraph();
  }

  private static SASRecLayerImpl layer(Model model) {
    return SASRecNetwork.layer((MultiLayerNetwork) model);
  }

  private static UnsupportedOperationException notAGraph() {
    return new UnsupportedOperationException(
        "Cannot train SASRec as a ComputationGraph: it is a MultiLayerNetwork");
  }
}
