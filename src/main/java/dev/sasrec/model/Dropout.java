package dev.sasrec.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Inverted dropout: in training, keep each value with probability 1 − p and scale by 1/(1 − p). */
final class Dropout {

  private final double rate;

  Dropout(double rate) {
    this.rate = rate;
  }

  /** The mask to multiply by, or null when dropout does not apply (inference, or rate 0). */
  INDArray mask(INDArray like, boolean training, Random random) {
    if (!training || rate == 0) {
      return null;
    }
    INDArray uniform = Nd4j.rand(random, like.shape()).castTo(like.dataType());
    return uniform.gt(rate).castTo(like.dataType()).muli(1.0 / (1.0 - rate));
  }

  /** x ⊙ mask in place (x itself without a mask). */
  static INDArray apply(INDArray x, INDArray mask) {
    return mask == null ? x : x.muli(mask);
  }
}
