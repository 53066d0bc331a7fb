package dev.sasrec.model;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The table that scores items: the encoder's own item table (tied, the paper's), or a separate
 * [N+1, d] table (gSASRec's default), which only then is a parameter of its own.
 */
final class OutputTable {

  private final String key;
  private final boolean separate;
  private final long rows;
  private final long width;

  OutputTable(ModelConfig c, String tiedTable) {
    this.separate = c.separateOutput();
    this.key = separate ? ParamLayout.OUTPUT_EMBEDDING : tiedTable;
    this.rows = c.itemRows();
    this.width = c.hidden();
  }

  List<ParamLayout.Part> parts() {
    return separate
        ? List.of(
            new ParamLayout.Part(
                "output item table",
                List.of(new ParamLayout.Param(key, ParamLayout.Kind.VOCABULARY, rows, width))))
        : List.of();
  }

  String key() {
    return key;
  }

  /** ⟨h, e_i⟩ for every item row: [B, d] → [B, N+1]. */
  INDArray scores(Map<String, INDArray> p, INDArray hidden) {
    return Nd4j.gemm(hidden, p.get(key), false, true);
  }
}
