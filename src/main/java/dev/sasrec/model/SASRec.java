package dev.sasrec.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

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
  private final OutputTable output;
  private final Targets targets;
  private final Objective objective;
  private final LabelLayout labels;

  public SASRec(ModelConfig config, Targets targets) {
    this(config, targets, Objective.BCE);
  }

  public SASRec(ModelConfig config, Targets targets, Objective objective) {
    this.config = config;
    this.encoder = new Encoder(Scope.ITEMS, config);
    this.output = new OutputTable(config, encoder.tableKey());
    this.targets = targets;
    this.objective = objective;
    this.labels = LabelLayout.of(objective, config.maxLen(), false);
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public List<ParamLayout.Part> parts() {
    List<ParamLayout.Part> parts = new ArrayList<>(encoder.parts());
    parts.addAll(output.parts());
    return parts;
  }

  @Override
  public LabelLayout labels() {
    return labels;
  }

  @Override
  public Step stepInWorkspace(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray features,
      INDArray labelRows,
      boolean training,
      Random random,
      double gradScale) {
    return stepInWorkspace(
        p,
        g,
        features,
        labels.positives(labelRows),
        labels.negatives(labelRows),
        training,
        random,
        gradScale);
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
    return Workspaces.run(
        Workspaces.STEP,
        () -> stepInWorkspace(p, g, items, positives, negatives, training, random, gradScale));
  }

  private Step stepInWorkspace(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray items,
      INDArray positives,
      INDArray negatives,
      boolean training,
      Random random,
      double gradScale) {
    Batch batch = batch(items, p);
    Encoder.Pass pass = encoder.forward(p, batch, training, random);
    int[] pos = ids(positives);
    int[] neg = ids(negatives);
    boolean[] scored = scored(pos, batch.length(), targets);
    TiedBceHead.Result head =
        objective.loss() == Objective.Loss.BCE
            ? TiedBceHead.apply(p, g, pass.hidden(), pos, neg, scored, output.key(), gradScale)
            : GbceHead.apply(
                p,
                g,
                pass.hidden(),
                batch.size(),
                batch.length(),
                pos,
                neg,
                scored,
                output.key(),
                objective.beta(config.numItems()),
                objective.scoreOffset(config.numItems()),
                gradScale);
    if (g != null) {
      encoder.backward(p, g, pass, head.dHidden());
    }
    return new Step(head.loss(), head.positions(), head.correct(), head.decisions());
  }

  @Override
  public Map<String, int[]> rowsTouched(INDArray features, INDArray labelRows) {
    return new TouchedRows()
        .add(encoder.tableKey(), ids(features))
        .add(output.key(), ids(labels.positives(labelRows)))
        .add(output.key(), ids(labels.negatives(labelRows)))
        .sortedDistinct();
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
    return Workspaces.run(
        Workspaces.INFERENCE, () -> encoder.lastStates(p, batch(items, p)).detach());
  }

  @Override
  public INDArray scoresInWorkspace(
      Map<String, INDArray> p, INDArray features, int[] itemCategories) {
    return output.scores(p, encoder.lastStates(p, batch(features, p)));
  }

  /** All hidden states: [B·L, d], for tests of causality and reference checks. */
  public INDArray hidden(Map<String, INDArray> p, INDArray items, boolean training, Random random) {
    return Workspaces.run(
        Workspaces.INFERENCE,
        () -> encoder.forward(p, batch(items, p), training, random).hidden().detach());
  }

  private Batch batch(INDArray items, Map<String, INDArray> p) {
    return Batch.of(items, config.heads(), p.get(encoder.tableKey()).dataType());
  }

  /** Ids of a block of rows, in row-major order. */
  static int[] ids(INDArray rows) {
    return rows.dup('c').reshape(rows.length()).toIntVector();
  }
}
