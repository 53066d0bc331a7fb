package dev.sasrec.model;

import java.io.Serializable;

/**
 * The training objective.
 *
 * @param loss BCE (the paper: one negative per position) or GBCE (gSASRec)
 * @param negatives negatives per row for GBCE (shared by the row's positions); 1 for BCE
 * @param gbceT gSASRec's calibration t in [0, 1]; t = 0 is plain BCE over K negatives (of the
 *     logits with {@link #scoreOffset})
 */
public record Objective(Loss loss, int negatives, double gbceT) implements Serializable {

  /** Loss functions. */
  public enum Loss {
    BCE,
    GBCE
  }

  public static final Objective BCE = new Objective(Loss.BCE, 1, 0);

  public Objective {
    if (negatives < 1 || (loss == Loss.BCE && negatives != 1)) {
      throw new IllegalArgumentException(
          "Cannot define objective: BCE takes 1 negative per position, GBCE at least 1 ("
              + negatives
              + ")");
    }
    if (gbceT < 0 || gbceT > 1) {
      throw new IllegalArgumentException(
          "Cannot define objective: gbce-t must be in [0, 1] (" + gbceT + ")");
    }
  }

  /** gSASRec's β for a vocabulary of {@code numItems}: α = K/(|I| − 1), β = α(t(1 − 1/α) + 1/α). */
  public double beta(int numItems) {
    double alpha = (double) negatives / (numItems - 1);
    return alpha * (gbceT * (1 - 1 / alpha) + 1 / alpha);
  }

  /**
   * A constant added to every training logit: ln(β/K), where the loss is lowest when all scores are
   * equal (β·σ(−c) = K·σ(c)); 0 for BCE. Without it the network has to produce that offset itself
   * (about −6.7 for ML-1M with K 256, t 0.75) and Adam moves each weight by at most about the
   * learning rate per step, so the offset takes over the hidden state and ranking stalls near
   * popularity (measured: README, gSASRec). A constant changes no ranking.
   */
  public double scoreOffset(int numItems) {
    return loss == Loss.BCE ? 0 : Math.log(beta(numItems) / negatives);
  }

  /** The loss's name as papers and plots write it: BCE, gBCE. */
  public String displayName() {
    return loss == Loss.BCE ? "BCE" : "gBCE";
  }
}
