package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * gSASRec's generalised BCE (Petrov & Macdonald 2023) with K negatives per row, shared by the row's
 * positions (a [B·K, d] gather instead of [B·L·K, d]): per scored position loss = 1/(K+1) · (β ·
 * softplus(−s⁺) + Σ_k softplus(s_k)), i.e. −1/(K+1)(β log σ(s⁺) + Σ log(1 − σ(s_k))) in log-sigmoid
 * form, averaged over scored positions. A logit is ⟨h, e⟩ + offset ({@link Objective#scoreOffset}).
 */
final class GbceHead {

  private GbceHead() {}

  /**
   * @param hidden [B·L, d]
   * @param positives [B·L] next item per position
   * @param negatives [B·K] negatives per row
   * @param offset added to every logit (the same for all items, so it changes no ranking)
   */
  static TiedBceHead.Result apply(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray hidden,
      int batch,
      int length,
      int[] positives,
      int[] negatives,
      boolean[] scored,
      String tableKey,
      double beta,
      double offset,
      double gradScale) {
    int k = negatives.length / batch;
    INDArray table = p.get(tableKey);
    long d = hidden.size(1);
    INDArray ePos = InputEmbedding.gather(table, positives); // [B·L, d]
    double[] sPos = hidden.mul(ePos).sum(1).addi(offset).toDoubleVector();
    INDArray eNeg = InputEmbedding.gather(table, negatives).reshape('c', batch, k, d); // [B, K, d]
    INDArray h3 = hidden.reshape('c', batch, length, d);
    INDArray sNeg = Nd4j.matmul(h3, eNeg, false, true, false); // [B, L, K]
    double[] sNegFlat = sNeg.dup('c').reshape(sNeg.length()).addi(offset).toDoubleVector();
    long positions = 0;
    for (boolean s : scored) {
      positions += s ? 1 : 0;
    }
    double scale = 1.0 / (k + 1);
    double loss = 0;
    long correct = 0;
    double[] dPos = new double[sPos.length];
    double[] dNeg = new double[sNegFlat.length];
    for (int r = 0; r < sPos.length; r++) {
      if (!scored[r]) {
        continue;
      }
      double rowLoss = beta * BceLoss.softplus(-sPos[r]);
      correct += sPos[r] > 0 ? 1 : 0;
      dPos[r] = gradScale * scale * beta * (BceLoss.sigmoid(sPos[r]) - 1) / positions;
      for (int j = 0; j < k; j++) {
        double s = sNegFlat[r * k + j];
        rowLoss += BceLoss.softplus(s);
        correct += s < 0 ? 1 : 0;
        dNeg[r * k + j] = gradScale * scale * BceLoss.sigmoid(s) / positions;
      }
      loss += scale * rowLoss;
    }
    double mean = positions == 0 ? 0 : loss / positions;
    long decisions = positions * (k + 1);
    if (g == null) {
      return new TiedBceHead.Result(mean, positions, correct, decisions, null);
    }
    INDArray dp = Nd4j.createFromArray(dPos).reshape(dPos.length, 1).castTo(hidden.dataType());
    INDArray dn =
        Nd4j.createFromArray(dNeg).reshape('c', batch, length, k).castTo(hidden.dataType());
    // ds⁻ [B, L, K]: dh += ds⁻ · E⁻ ; dE⁻ += ds⁻ᵀ · h (per row).
    INDArray dHidden =
        Broadcast.mulColumn(ePos, dp)
            .addi(Nd4j.matmul(dn, eNeg).reshape('c', (long) batch * length, d));
    INDArray dNegRows = Nd4j.matmul(dn, h3, true, false, false).reshape('c', (long) batch * k, d);
    INDArray dTable = g.get(tableKey);
    InputEmbedding.scatterAdd(dTable, positives, Broadcast.timesColumn(hidden, dp), 1);
    InputEmbedding.scatterAdd(dTable, negatives, dNegRows, 1);
    return new TiedBceHead.Result(mean, positions, correct, decisions, dHidden);
  }
}
