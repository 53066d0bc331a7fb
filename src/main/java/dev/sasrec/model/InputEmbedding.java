package dev.sasrec.model;

import java.lang.ref.Reference;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Item embedding (row 0 = padding) scaled by √d, plus a learned position embedding. ids → [B·L, d].
 * The √d scale (as in pmixer/SASRec.pytorch and the Transformer) keeps the item signal above the
 * position signal at initialization; without it ML-1M training stalls near popularity.
 */
final class InputEmbedding {

  private final Scope scope;
  private final String table;
  private final String positions;
  private final long rows;
  private final long length;
  private final long width;

  InputEmbedding(Scope scope, ModelConfig c) {
    this.scope = scope;
    this.table = scope.key(ParamLayout.ITEM_EMBEDDING);
    this.positions = scope.key(ParamLayout.POSITION_EMBEDDING);
    this.rows = c.itemRows();
    this.length = c.maxLen();
    this.width = c.hidden();
  }

  /** The token table [rows, d] and the position table [L, d]. */
  List<ParamLayout.Part> parts() {
    return List.of(
        new ParamLayout.Part(
            scope.tokens() + " embedding",
            List.of(new ParamLayout.Param(table, ParamLayout.Kind.VOCABULARY, rows, width))),
        new ParamLayout.Part(
            scope.name("positional embedding"),
            List.of(new ParamLayout.Param(positions, ParamLayout.Kind.EMBEDDING, length, width))));
  }

  /** The key of the token table (the tied output table of SASRec). */
  String tableKey() {
    return table;
  }

  INDArray forward(Map<String, INDArray> p, Batch batch) {
    INDArray items = gather(p.get(table), batch.ids()).muli(Math.sqrt(width)); // [B·L, d]
    INDArray perRow = items.reshape('c', batch.size(), batch.length() * width);
    // A window shorter than L (inference leaves out columns that are padding in every row) is the
    // right end of the full one: its positions are the table's last rows.
    // The slice is taken on the flat table, as ParamLayout takes its views: ND4J 1.0.0-M2.1's
    // get(interval, all) on such a view returned an empty array in float32.
    INDArray flat = p.get(positions).reshape(length * width); // [L·d]
    INDArray used =
        batch.length() == length
            ? flat
            : flat.get(NDArrayIndex.interval((length - batch.length()) * width, length * width));
    Broadcast.addRow(perRow, used.reshape('c', 1, batch.length() * width));
    return items;
  }

  void backward(Map<String, INDArray> g, Batch batch, INDArray dx) {
    INDArray perRow = dx.reshape('c', batch.size(), batch.length() * width);
    Linear.columnSums(perRow, batch.batchOnes(), g.get(positions));
    scatterAdd(g.get(table), batch.ids(), dx, Math.sqrt(width));
  }

  /**
   * Rows {@code ids} of {@code table}: [ids.length, d]. ND4J's gather op, not {@code
   * Nd4j.pullRows}: M2.1's pullRows hands the native code a pointer to the ids that nothing
   * references during the call, which a garbage collection can free under it (see {@link
   * Broadcast}).
   */
  static INDArray gather(INDArray table, int[] ids) {
    Gather op = new Gather(table, Nd4j.createFromArray(ids), 0);
    try {
      return Nd4j.exec(op)[0];
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  /** table[ids[r]] += scale · rows[r] for every r; repeated ids add up. */
  static void scatterAdd(INDArray table, int[] ids, INDArray rows, double scale) {
    Buffers.addRows(
        table,
        ids,
        rows.dataType() == table.dataType() ? rows : rows.castTo(table.dataType()),
        scale);
  }
}
