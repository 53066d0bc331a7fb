package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * SASRec: the encoder plus the tied-embedding BCE objective, on parameter views ({@link
 * ParamLayout}). Independent of DL4J's layer API so that it can be tested and reused for ranking.
 */
public final class SASRec implements SequenceModel {

  /** Which positions of a training row are scored. */
  public enum Targets {
    /** Every non-padding position (the paper). */
    ALL,
    /** The last position only (the seed's variant). */
    LAST
  }

  /** Loss and binary accuracy of one batch. */
  public record Step(double loss, long positions, long correct, long decisions) {
    /** A positive counts right when its logit is > 0, a negative when it is < 0. */
    public double accuracy() {
      return decisions == 0 ? 0 : (double) correct / decisions;
    }
  }

  private final ModelConfig config;
  private final Encoder encoder;
  private final Targets targets;
  private final Objective objective;

  public SASRec(ModelConfig config, Targets targets) {
    this(config, targets, Objective.BCE);
  }

  public SASRec(ModelConfig config, Targets targets, Objective objective) {
    this.config = config;
    this.encoder = new Encoder(config);
    this.targets = targets;
    this.objective = objective;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public int labelColumns() {
    return objective.labelColumns(config.maxLen());
  }

  @Override
  public Step step(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray features,
      INDArray labels,
      boolean training,
      Random random,
      double gradScale) {
    long length = config.maxLen();
    return step(
        p,
        g,
        features,
        labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, length)),
        labels.get(NDArrayIndex.all(), NDArrayIndex.interval(length, labels.size(1))),
        training,
        random,
        gradScale);
  }

  @Override
  public INDArray lastScores(Map<String, INDArray> p, INDArray features, int[] itemCategories) {
    return Nd4j.gemm(lastHidden(p, features), p.get(config.outputTable()), false, true);
  }

  /**
   * Loss of a batch, and with {@code g} non-null its gradient (accumulated into g, which the caller
   * zeroes): of {@code gradScale} × the mean loss.
   *
   * @param items [B, L] input ids
   * @param positives [B, L] next item at each position (0 = padding)
   * @param negatives [B, L] sampled negative at each position (BCE), or [B, K] per row (GBCE)
   */
  public Step step(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray items,
      INDArray positives,
      INDArray negatives,
      boolean training,
      Random random,
      double gradScale) {
    Batch batch = Batch.of(items, config.heads(), p.get(ParamLayout.ITEM_EMBEDDING).dataType());
    Encoder.Pass pass = encoder.forward(p, batch, training, random);
    int[] pos = ids(positives);
    int[] neg = ids(negatives);
    boolean[] scored = scored(pos, batch.length(), targets);
    TiedBceHead.Result head =
        objective.loss() == Objective.Loss.BCE
            ? TiedBceHead.apply(
                p, g, pass.hidden(), pos, neg, scored, config.outputTable(), gradScale)
            : GbceHead.apply(
                p,
                g,
                pass.hidden(),
                batch.size(),
                batch.length(),
                pos,
                neg,
                scored,
                config.outputTable(),
                objective.beta(config.numItems()),
                objective.scoreOffset(config.numItems()),
                gradScale);
    if (g != null) {
      encoder.backward(p, g, pass, head.dHidden());
    }
    return new Step(head.loss(), head.positions(), head.correct(), head.decisions());
  }

  /** Positions that count: a non-padding positive, at the positions {@code targets} names. */
  static boolean[] scored(int[] positives, int length, Targets targets) {
    boolean[] scored = new boolean[positives.length];
    for (int r = 0; r < positives.length; r++) {
      boolean last = r % length == length - 1;
      scored[r] = positives[r] != 0 && (targets == Targets.ALL || last);
    }
    return scored;
  }

  /** The hidden state after the last input position: [B, d] (the query for ranking). */
  @Override
  public INDArray lastHidden(Map<String, INDArray> p, INDArray items) {
    Batch batch = Batch.of(items, config.heads(), p.get(ParamLayout.ITEM_EMBEDDING).dataType());
    INDArray hidden = encoder.forward(p, batch, false, null).hidden();
    return lastPositions(hidden, batch);
  }

  /** Rows of the last position of each sequence: [B·L, d] → [B, d]. */
  static INDArray lastPositions(INDArray hidden, Batch batch) {
    long d = hidden.size(1);
    return hidden
        .reshape('c', batch.size(), batch.length(), d)
        .get(NDArrayIndex.all(), NDArrayIndex.point(batch.length() - 1), NDArrayIndex.all())
        .dup('c');
  }

  /** All hidden states: [B·L, d], for tests of causality and reference checks. */
  public INDArray hidden(Map<String, INDArray> p, INDArray items, boolean training, Random random) {
    Batch batch = Batch.of(items, config.heads(), p.get(ParamLayout.ITEM_EMBEDDING).dataType());
    return encoder.forward(p, batch, training, random).hidden();
  }

  /** Ids of a block of rows, in row-major order. */
  static int[] ids(INDArray rows) {
    return rows.dup('c').reshape(rows.length()).toIntVector();
  }
}
