package dev.sasrec.model;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * What training and ranking ask of a model over left-padded sequences: {@link SASRec} (with the BCE
 * or gBCE objective) or {@link Cafe}. Rows of features and labels are laid out as DL4J carries
 * them: ids as floating point, one example per row. Each call runs in the calling thread's ND4J
 * workspace and returns detached arrays; an instance is not meant to be shared between threads.
 */
public interface SequenceModel {

  static SequenceModel of(ModelConfig config, SASRec.Targets targets, Objective objective) {
    return config.cafe() ? new Cafe(config, targets) : new SASRec(config, targets, objective);
  }

  /**
   * The parameters of the model a configuration describes, as its layers declare them. They depend
   * on the configuration only (not on the targets or the objective).
   */
  static List<ParamLayout.Part> parts(ModelConfig config) {
    return of(config, SASRec.Targets.ALL, Objective.BCE).parts();
  }

  ModelConfig config();

  /** The model's parameters in layout order, grouped by the part of the model they belong to. */
  List<ParamLayout.Part> parts();

  /** How a label row is laid out. */
  LabelLayout labels();

  /**
   * Label columns per row: L positives, then L negatives (BCE) or K negatives (gBCE); CAFE adds L
   * positive and L negative categories.
   */
  default int labelColumns() {
    return labels().columns();
  }

  /**
   * Loss of a batch, and with {@code g} non-null its gradient, accumulated into g (which the caller
   * zeroes), of {@code gradScale} × the mean loss.
   *
   * @param features [B, L] item ids (CAFE: [B, 2L], then their categories: {@link
   *     ItemCategories#features})
   * @param labels [B, {@link #labelColumns()}]
   */
  default SASRec.Step step(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray features,
      INDArray labels,
      boolean training,
      Random random,
      double gradScale) {
    return Workspaces.run(
        Workspaces.STEP,
        () -> stepInWorkspace(p, g, features, labels, training, random, gradScale));
  }

  /** {@link #step}, allocated in the current workspace. */
  SASRec.Step stepInWorkspace(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray features,
      INDArray labels,
      boolean training,
      Random random,
      double gradScale);

  /**
   * The rows of each {@link ParamLayout.Kind#VOCABULARY} table that a training step on this batch
   * reads, sorted and distinct, by table key: every other row of those tables gets no gradient from
   * the step (a row-sparse optimizer leaves it as it is).
   */
  Map<String, int[]> rowsTouched(INDArray features, INDArray labels);

  /** The state after the last input position: [B, d] (the network's activations). */
  INDArray lastHidden(Map<String, INDArray> p, INDArray features);

  /**
   * The score of every item row after the last input position: [B, N+1] (column 0 is padding).
   *
   * @param itemCategories the category of every item row (CAFE); unused by SASRec
   */
  default INDArray lastScores(Map<String, INDArray> p, INDArray features, int[] itemCategories) {
    return Workspaces.run(
        Workspaces.INFERENCE, () -> scoresInWorkspace(p, features, itemCategories).detach());
  }

  /**
   * Frees the calling thread's inference workspace: at a large catalogue a batch of scores is
   * hundreds of MB, which an executor thread would otherwise keep between tasks.
   */
  default void releaseWorkspaces() {
    Workspaces.destroy(Workspaces.INFERENCE);
  }

  /** {@link #lastScores}, allocated in the current workspace (for {@link Scorer}). */
  INDArray scoresInWorkspace(Map<String, INDArray> p, INDArray features, int[] itemCategories);
}
