package dev.sasrec.eval;

import dev.sasrec.io.ExampleRow;
import dev.sasrec.model.Scorer;
import dev.sasrec.model.SequenceModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scoring on the executors: every partition's example rows in batches, with the broadcast model's
 * parameters viewed once per partition and one inference path ({@link Scoring}) per partition.
 * Validation, test and Recommend score this way.
 */
public final class BatchScoring {

  /**
   * Rows scored together on an executor. Decision: 128, not 256: the same speed per row here
   * (InferenceBenchmark), and half the inference workspace each task keeps (~190 MB instead of ~370
   * MB at the seed's sizes), which counts twice on a 2-core local run.
   */
  public static final int BATCH = 128;

  /** Batches of rows sorted by length together: bounds the rows a task holds at once. */
  static final int SORTED_BATCHES = 32;

  /** What one batch of rows gives, computed on an executor with the partition's {@link Scoring}. */
  @FunctionalInterface
  public interface ScoringFunction<T> extends Serializable {
    List<T> apply(Scoring scoring, List<ExampleRow> batch);
  }

  /**
   * One partition's model on an executor: the snapshot, a native copy of its parameters and one
   * inference path. Not shared between tasks (the inference path reuses its buffers).
   */
  public static final class Scoring implements AutoCloseable {
    private final ModelSnapshot snapshot;
    private final INDArray flat;
    private final Map<String, INDArray> params;
    private final SequenceModel model;
    private final Scorer scorer;

    Scoring(ModelSnapshot snapshot) {
      this.snapshot = snapshot;
      this.flat = snapshot.nativeParams();
      this.params = snapshot.views(flat);
      this.model = snapshot.model();
      this.scorer = new Scorer(model, params, snapshot.itemCategories());
    }

    public ModelSnapshot snapshot() {
      return snapshot;
    }

    public Map<String, INDArray> params() {
      return params;
    }

    /**
     * The score of every item after the last position of each row, handed over row by row (the
     * array is reused: read it before returning).
     *
     * @param itemRows left-padded item ids, one row per sequence
     */
    public void scores(List<int[]> itemRows, Scorer.RowScores consumer) {
      scorer.scores(snapshot.features(itemRows), consumer);
    }

    /**
     * Frees the native copy of the parameters now: at a large catalogue each task's copy is
     * hundreds of MB, which the garbage collector would otherwise free only when the heap fills.
     */
    @Override
    public void close() {
      flat.close();
      model.releaseWorkspaces();
    }

    /** The k best items of each row, best first, leaving out padding and each row's excluded. */
    public int[][] topK(List<int[]> itemRows, int k, List<int[]> excludedSorted) {
      return scorer.topK(snapshot.features(itemRows), k, excludedSorted);
    }
  }

  private BatchScoring() {}

  /** Every batch's results. */
  public static <T> JavaRDD<T> map(
      JavaRDD<ExampleRow> rows, Broadcast<ModelSnapshot> model, ScoringFunction<T> function) {
    return rows.mapPartitions(new Partition<>(model, function));
  }

  /** The batches' sums, added up. */
  public static EvalSums sum(
      JavaRDD<ExampleRow> rows,
      Broadcast<ModelSnapshot> model,
      ScoringFunction<EvalSums> function) {
    return map(rows, model, function).fold(EvalSums.ZERO, EvalSums::plus);
  }

  /** Scores one partition's rows in batches. */
  private record Partition<T>(Broadcast<ModelSnapshot> model, ScoringFunction<T> function)
      implements FlatMapFunction<Iterator<ExampleRow>, T> {
    @Override
    public Iterator<T> call(Iterator<ExampleRow> rows) {
      if (!rows.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      List<T> out = new ArrayList<>();
      try (Scoring scoring = new Scoring(model.value())) {
        // Rows of similar length batched together, so that a batch of short histories leaves out
        // its common padding (ModelSnapshot.features): a tenth of ML-1M's positions.
        Batching.forEachBatch(
            rows,
            BATCH * SORTED_BATCHES,
            chunk -> {
              // Each chunk is a fresh list of Batching's: sorted in place.
              chunk.sort(
                  Comparator.comparingInt(
                      (ExampleRow row) -> ModelSnapshot.leadingPadding(row.items())));
              Batching.forEachBatch(
                  chunk.iterator(), BATCH, batch -> out.addAll(function.apply(scoring, batch)));
            });
      }
      return out.iterator();
    }
  }
}
