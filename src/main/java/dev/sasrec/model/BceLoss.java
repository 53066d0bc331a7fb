package dev.sasrec.model;

/**
 * Binary cross-entropy on logits, the one definition used by training (the heads) and validation: a
 * positive logit s⁺ should be high and a negative logit s⁻ low, and the pair costs −log σ(s⁺) −
 * log(1 − σ(s⁻)) = softplus(−s⁺) + softplus(s⁻).
 */
public final class BceLoss {

  private BceLoss() {}

  /** The loss of one positive and one negative logit. */
  public static double pair(double positive, double negative) {
    return softplus(-positive) + softplus(negative);
  }

  /**
   * Decisions the pair gets right (0, 1 or 2): the positive when s⁺ > 0, the negative when s⁻ < 0.
   */
  public static int correct(double positive, double negative) {
    return (positive > 0 ? 1 : 0) + (negative < 0 ? 1 : 0);
  }

  /** log(1 + e^x) without overflow. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** 1 / (1 + e^−x) without overflow. */
  public static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
}
