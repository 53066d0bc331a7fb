package dev.sasrec.eval;

import dev.sasrec.io.ExampleRow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scoring on the executors: every partition's example rows in batches, with the broadcast model's
 * parameters viewed once per partition. Evaluation, the training loss and Recommend score this way.
 */
public final class BatchScoring {

  /** Rows scored together on an executor. */
  public static final int BATCH = 256;

  /** What one batch of rows gives, computed on an executor. */
  @FunctionalInterface
  public interface BatchFunction<T> extends Serializable {
    List<T> apply(ModelSnapshot model, Map<String, INDArray> params, List<ExampleRow> batch);
  }

  private BatchScoring() {}

  /** Every batch's results. */
  public static <T> JavaRDD<T> map(
      JavaRDD<ExampleRow> rows, Broadcast<ModelSnapshot> model, BatchFunction<T> function) {
    return rows.mapPartitions(new Partition<>(model, function));
  }

  /** The batches' sums, added up. */
  public static EvalSums sum(
      JavaRDD<ExampleRow> rows, Broadcast<ModelSnapshot> model, BatchFunction<EvalSums> function) {
    return map(rows, model, function).fold(EvalSums.ZERO, EvalSums::plus);
  }

  /** Scores one partition's rows in batches. */
  private record Partition<T>(Broadcast<ModelSnapshot> model, BatchFunction<T> function)
      implements FlatMapFunction<Iterator<ExampleRow>, T> {
    @Override
    public Iterator<T> call(Iterator<ExampleRow> rows) {
      ModelSnapshot snapshot = model.value();
      Map<String, INDArray> params = snapshot.views();
      List<T> out = new ArrayList<>();
      Batching.forEachBatch(
          rows, BATCH, batch -> out.addAll(function.apply(snapshot, params, batch)));
      return out.iterator();
    }
  }
}
