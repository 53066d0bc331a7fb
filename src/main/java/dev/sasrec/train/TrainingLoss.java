package dev.sasrec.train;

import dev.sasrec.eval.Batching;
import dev.sasrec.eval.EvalSums;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.eval.NegativeSampler;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.SequenceModel;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * train_loss and train_accuracy: the training objective on training rows, in inference mode (no
 * dropout), with the epoch's own negatives, computed on the executors.
 */
public final class TrainingLoss {

  static final int BATCH = 256;

  private TrainingLoss() {}

  public static EvalSums evaluate(
      JavaRDD<ExampleRow> rows, Broadcast<ModelSnapshot> model, long seed, int epoch) {
    return rows.mapPartitions(new Score(model, seed, epoch)).fold(EvalSums.ZERO, EvalSums::plus);
  }

  static final class Score implements FlatMapFunction<Iterator<ExampleRow>, EvalSums> {
    private final Broadcast<ModelSnapshot> model;
    private final long seed;
    private final int epoch;

    Score(Broadcast<ModelSnapshot> model, long seed, int epoch) {
      this.model = model;
      this.seed = seed;
      this.epoch = epoch;
    }

    @Override
    public Iterator<EvalSums> call(Iterator<ExampleRow> rows) {
      ModelSnapshot snapshot = model.value();
      Map<String, INDArray> params = snapshot.views();
      SequenceModel model = snapshot.model();
      NegativeSampler sampler = new NegativeSampler(snapshot.config().numItems());
      EvalSums[] sums = {EvalSums.ZERO};
      Batching.forEachBatch(
          rows,
          BATCH,
          batch -> {
            DataSet ds =
                TrainingBatches.batch(
                    batch, sampler, snapshot.objective(), snapshot.categories(), seed, epoch);
            SASRec.Step step =
                model.step(
                    params,
                    null,
                    ds.getFeatures().castTo(params.get(ParamLayout.ITEM_EMBEDDING).dataType()),
                    ds.getLabels(),
                    false,
                    null,
                    1);
            sums[0] =
                sums[0].plus(
                    new EvalSums(
                        0,
                        0,
                        0,
                        0,
                        0,
                        step.positions(),
                        step.loss() * step.positions(),
                        step.correct(),
                        step.decisions()));
          });
      return List.of(sums[0]).iterator();
    }
  }
}
