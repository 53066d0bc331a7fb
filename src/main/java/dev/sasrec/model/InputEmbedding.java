package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Item embedding (row 0 = padding) scaled by √d, plus a learned position embedding. ids → [B·L, d].
 * The √d scale (as in pmixer/SASRec.pytorch and the Transformer) keeps the item signal above the
 * position signal at initialization; without it ML-1M training stalls near popularity.
 */
final class InputEmbedding {

  static INDArray forward(Map<String, INDArray> p, Batch batch) {
    INDArray positions = p.get(ParamLayout.POSITION_EMBEDDING); // [L, d]
    long d = positions.size(1);
    INDArray items =
        gather(p.get(ParamLayout.ITEM_EMBEDDING), batch.ids()).muli(Math.sqrt(d)); // [B·L, d]
    INDArray perRow = items.reshape('c', batch.size(), batch.length() * d);
    perRow.addiRowVector(positions.reshape('c', 1, batch.length() * d));
    return perRow.reshape('c', (long) batch.size() * batch.length(), d);
  }

  static void backward(Map<String, INDArray> g, Batch batch, INDArray dx) {
    long d = dx.size(1);
    INDArray perRow = dx.reshape('c', batch.size(), batch.length() * d);
    Linear.columnSums(perRow, batch.batchOnes(), g.get(ParamLayout.POSITION_EMBEDDING));
    scatterAdd(g.get(ParamLayout.ITEM_EMBEDDING), batch.ids(), dx.mul(Math.sqrt(d)));
  }

  /** Rows {@code ids} of {@code table}: [ids.length, d]. */
  static INDArray gather(INDArray table, int[] ids) {
    return Nd4j.pullRows(table, 1, ids);
  }

  /** table[ids[r]] += rows[r] for every r; repeated ids add up. */
  static void scatterAdd(INDArray table, int[] ids, INDArray rows) {
    Nd4j.scatterUpdate(
        ScatterUpdate.UpdateOp.ADD,
        table,
        Nd4j.createFromArray(ids),
        rows.castTo(table.dataType()),
        1);
  }

  private InputEmbedding() {}
}
