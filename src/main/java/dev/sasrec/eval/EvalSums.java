package dev.sasrec.eval;

import java.io.Serializable;

/**
 * Sums over evaluated rows, merged across partitions, then turned into means.
 *
 * @param rows rows ranked
 * @param positions scored positions (loss and accuracy)
 * @param lossSum summed BCE loss
 * @param correct binary decisions right
 * @param decisions binary decisions made (1 + negatives per position)
 */
public record EvalSums(
    long rows,
    double hrSampled,
    double ndcgSampled,
    double hrFull,
    double ndcgFull,
    long positions,
    double lossSum,
    long correct,
    long decisions)
    implements Serializable {

  public static final EvalSums ZERO = new EvalSums(0, 0, 0, 0, 0, 0, 0, 0, 0);

  public EvalSums plus(EvalSums o) {
    return new EvalSums(
        rows + o.rows,
        hrSampled + o.hrSampled,
        ndcgSampled + o.ndcgSampled,
        hrFull + o.hrFull,
        ndcgFull + o.ndcgFull,
        positions + o.positions,
        lossSum + o.lossSum,
        correct + o.correct,
        decisions + o.decisions);
  }

  public double loss() {
    return positions == 0 ? Double.NaN : lossSum / positions;
  }

  public double accuracy() {
    return decisions == 0 ? Double.NaN : (double) correct / decisions;
  }

  public double meanHrSampled() {
    return rows == 0 ? Double.NaN : hrSampled / rows;
  }

  public double meanNdcgSampled() {
    return rows == 0 ? Double.NaN : ndcgSampled / rows;
  }

  public double meanHrFull() {
    return rows == 0 ? Double.NaN : hrFull / rows;
  }

  public double meanNdcgFull() {
    return rows == 0 ? Double.NaN : ndcgFull / rows;
  }
}
