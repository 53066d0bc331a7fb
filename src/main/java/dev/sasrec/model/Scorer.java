package dev.sasrec.model;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inference entry point for ranking and recommendation: scores every item after the last
 * position of each row in the thread's inference workspace (no backward caches; the last block
 * computes the last position only) and hands the rows to the caller one by one, without copying the
 * [B, N+1] block out of the workspace (85 MB at 83,631 items and 256 rows). Not thread-safe: one
 * per task.
 */
public final class Scorer {

  /** Receives one row's scores, indexed by item (0 = padding); the array is reused. */
  @FunctionalInterface
  public interface RowScores {
    void accept(int row, float[] scores);
  }

  private final SequenceModel model;
  private final Map<String, INDArray> params;
  private final int[] itemCategories;
  private final DataType type;
  private float[] row;

  /**
   * @param params parameter views ({@link ParamLayout#views})
   * @param itemCategories the category of every item row (CAFE), or null
   */
  public Scorer(SequenceModel model, Map<String, INDArray> params, int[] itemCategories) {
    this.model = model;
    this.params = params;
    this.itemCategories = itemCategories;
    this.type = params.get(ParamLayout.ITEM_EMBEDDING).dataType();
  }

  /**
   * Scores of every item row after the last position of each feature row.
   *
   * @param features [B, L] item ids ([B, 2L] with categories for CAFE)
   */
  public void scores(INDArray features, RowScores consumer) {
    Workspaces.run(
        Workspaces.INFERENCE,
        () -> {
          INDArray scores = model.scoresInWorkspace(params, features.castTo(type), itemCategories);
          int columns = (int) scores.size(1);
          if (row == null || row.length != columns) {
            row = new float[columns];
          }
          for (int r = 0; r < scores.size(0); r++) {
            consumer.accept(r, read(scores, r, columns));
          }
          return null;
        });
  }

  /**
   * The k best items of every row, best first, leaving out padding and each row's excluded items.
   *
   * @param excludedSorted per row, ascending item indices to leave out (e.g. the items seen)
   */
  public int[][] topK(INDArray features, int k, List<int[]> excludedSorted) {
    int[][] best = new int[(int) features.size(0)][];
    scores(features, (r, scores) -> best[r] = TopItems.of(scores, k, excludedSorted.get(r)));
    return best;
  }

  private float[] read(INDArray scores, int r, int columns) {
    if (scores.dataType() == DataType.FLOAT && scores.ordering() == 'c' && !scores.isView()) {
      FloatBuffer all = scores.data().asNioFloat();
      all.position(r * columns);
      all.get(row, 0, columns);
      Reference.reachabilityFence(scores); // the NIO view does not hold the array (Buffers)
      return row;
    }
    return scores.getRow(r).castTo(DataType.FLOAT).toFloatVector();
  }
}
