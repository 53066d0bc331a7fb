package dev.sasrec.train;

import dev.sasrec.eval.EvalSums;
import java.io.Serializable;

/**
 * What the training minibatches of an epoch (or of part of it) add up to, as their steps computed
 * it during the fit: dropout on, each step's own negatives (Keras and PyTorch loops report their
 * training loss this way).
 *
 * @param minibatches training steps
 * @param sequences training sequences fitted
 * @param positions scored positions
 * @param lossSum the steps' mean losses, each times its scored positions
 * @param correct binary decisions right
 * @param decisions binary decisions made
 */
public record FitSums(
    long minibatches, long sequences, long positions, double lossSum, long correct, long decisions)
    implements Serializable {

  public static final FitSums ZERO = new FitSums(0, 0, 0, 0, 0, 0);

  /** One step of {@code sequences} sequences whose mean loss was {@code loss}. */
  public static FitSums step(
      long sequences, double loss, long positions, long correct, long decisions) {
    return new FitSums(1, sequences, positions, loss * positions, correct, decisions);
  }

  public FitSums plus(FitSums o) {
    return new FitSums(
        minibatches + o.minibatches,
        sequences + o.sequences,
        positions + o.positions,
        lossSum + o.lossSum,
        correct + o.correct,
        decisions + o.decisions);
  }

  /** The running mean loss per scored position (NaN before the first step). */
  public double loss() {
    return toEvalSums().loss();
  }

  /** The running binary accuracy (NaN before the first step). */
  public double accuracy() {
    return toEvalSums().accuracy();
  }

  /** As the loss and accuracy sums of the metrics rows. */
  public EvalSums toEvalSums() {
    return new EvalSums(0, 0, 0, 0, 0, positions, lossSum, correct, decisions);
  }
}
