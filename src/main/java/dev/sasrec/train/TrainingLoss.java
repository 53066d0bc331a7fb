package dev.sasrec.train;

import dev.sasrec.eval.EvalSums;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.eval.NegativeSampler;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.model.SASRec;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * train_loss and train_accuracy: the training objective on training rows, in inference mode (no
 * dropout), with the epoch's own negatives, one batch at a time on the executors ({@link
 * dev.sasrec.eval.BatchScoring}).
 */
public final class TrainingLoss {

  private TrainingLoss() {}

  /** The objective on one batch, with epoch {@code epoch}'s negatives. */
  static EvalSums score(
      ModelSnapshot snapshot,
      Map<String, INDArray> params,
      List<ExampleRow> batch,
      long seed,
      int epoch) {
    NegativeSampler sampler = new NegativeSampler(snapshot.config().numItems());
    DataSet ds =
        TrainingBatches.batch(
            batch, sampler, snapshot.objective(), snapshot.categories(), seed, epoch);
    SASRec.Step step =
        snapshot
            .model()
            .step(
                params,
                null,
                ds.getFeatures().castTo(params.get(ParamLayout.ITEM_EMBEDDING).dataType()),
                ds.getLabels(),
                false,
                null,
                1);
    return new EvalSums(
        0,
        0,
        0,
        0,
        0,
        step.positions(),
        step.loss() * step.positions(),
        step.correct(),
        step.decisions());
  }
}
