package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The paper's objective: at every scored position, the logit of the next item and of one sampled
 * negative are dot products of the hidden state with the output table (the tied item table, or a
 * separate one), and the loss is binary cross-entropy, averaged over scored positions: mean({@link
 * BceLoss#pair}).
 */
final class TiedBceHead {

  /** Loss, binary accuracy counts and (when asked) the gradient of the hidden states. */
  record Result(double loss, long positions, long correct, long decisions, INDArray dHidden) {}

  private TiedBceHead() {}

  /**
   * @param hidden [M, d]
   * @param positives next item per position [M] (0 = not scored)
   * @param negatives sampled negative per position [M]
   * @param scored which positions count (positives non-zero, and the target policy)
   * @param gradScale the gradient is of gradScale × mean loss (DL4J divides by the batch size)
   * @param g gradients to accumulate the item table's into, or null for the loss alone
   */
  static Result apply(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray hidden,
      int[] positives,
      int[] negatives,
      boolean[] scored,
      String tableKey,
      double gradScale) {
    INDArray table = p.get(tableKey);
    INDArray ePos = InputEmbedding.gather(table, positives); // [M, d]
    INDArray eNeg = InputEmbedding.gather(table, negatives);
    double[] sPos = hidden.mul(ePos).sum(1).toDoubleVector(); // [M]
    double[] sNeg = hidden.mul(eNeg).sum(1).toDoubleVector();
    long positions = 0;
    for (boolean s : scored) {
      positions += s ? 1 : 0;
    }
    double loss = 0;
    long correct = 0;
    double[] dPos = new double[sPos.length];
    double[] dNeg = new double[sNeg.length];
    for (int r = 0; r < sPos.length; r++) {
      if (!scored[r]) {
        continue;
      }
      loss += BceLoss.pair(sPos[r], sNeg[r]);
      correct += BceLoss.correct(sPos[r], sNeg[r]);
      dPos[r] = gradScale * (BceLoss.sigmoid(sPos[r]) - 1) / positions;
      dNeg[r] = gradScale * BceLoss.sigmoid(sNeg[r]) / positions;
    }
    double mean = positions == 0 ? 0 : loss / positions;
    if (g == null) {
      return new Result(mean, positions, correct, 2 * positions, null);
    }
    INDArray dp = column(dPos, hidden);
    INDArray dn = column(dNeg, hidden);
    INDArray dHidden = Broadcast.mulColumn(ePos, dp).addi(Broadcast.mulColumn(eNeg, dn));
    INDArray dTable = g.get(tableKey);
    InputEmbedding.scatterAdd(dTable, positives, Broadcast.timesColumn(hidden, dp), 1);
    InputEmbedding.scatterAdd(dTable, negatives, Broadcast.timesColumn(hidden, dn), 1);
    return new Result(mean, positions, correct, 2 * positions, dHidden);
  }

  private static INDArray column(double[] values, INDArray like) {
    return Nd4j.createFromArray(values).reshape(values.length, 1).castTo(like.dataType());
  }
}
