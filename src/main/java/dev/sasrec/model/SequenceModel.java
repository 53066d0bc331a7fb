package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * What training and ranking ask of a model over left-padded sequences: {@link SASRec} (with the BCE
 * or gBCE objective) or {@link Cafe}. Rows of features and labels are laid out as DL4J carries
 * them: ids as floating point, one example per row.
 */
public interface SequenceModel {

  static SequenceModel of(ModelConfig config, SASRec.Targets targets, Objective objective) {
    return config.cafe() ? new Cafe(config, targets) : new SASRec(config, targets, objective);
  }

  ModelConfig config();

  /**
   * Label columns per row: L positives, then L negatives (BCE) or K negatives (gBCE); CAFE adds L
   * positive and L negative categories.
   */
  int labelColumns();

  /**
   * Loss of a batch, and with {@code g} non-null its gradient, accumulated into g (which the caller
   * zeroes), of {@code gradScale} × the mean loss.
   *
   * @param features [B, L] item ids (CAFE: [B, 2L], then their categories: {@link
   *     ItemCategories#features})
   * @param labels [B, {@link #labelColumns()}]
   */
  SASRec.Step step(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray features,
      INDArray labels,
      boolean training,
      Random random,
      double gradScale);

  /** The state after the last input position: [B, d] (the network's activations). */
  INDArray lastHidden(Map<String, INDArray> p, INDArray features);

  /**
   * The score of every item row after the last input position: [B, N+1] (column 0 is padding).
   *
   * @param itemCategories the category of every item row (CAFE); unused by SASRec
   */
  INDArray lastScores(Map<String, INDArray> p, INDArray features, int[] itemCategories);
}
