package dev.sasrec.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a training run stands after an epoch: the epochs so far, the best epoch by validation
 * NDCG@10 (full ranking) and how many evaluated epochs have passed without a better one. What a
 * checkpoint must hold, besides the parameters, for a resumed run to go on as an uninterrupted one.
 *
 * @param epoch the last epoch completed (0 before the first)
 * @param bestEpoch the epoch with the best validation NDCG@10 so far (0 before any ranking)
 * @param bestNdcg that epoch's validation NDCG@10 (negative infinity before any ranking)
 * @param epochsWithoutImprovement ranked epochs since the best one
 * @param history one row per completed epoch, oldest first
 */
public record TrainingState(
    int epoch,
    int bestEpoch,
    double bestNdcg,
    int epochsWithoutImprovement,
    List<EpochMetrics> history) {

  public TrainingState {
    history = List.copyOf(history);
  }

  /** Before the first epoch. */
  public static TrainingState fresh() {
    return new TrainingState(0, 0, Double.NEGATIVE_INFINITY, 0, List.of());
  }

  /**
   * The state after {@code m}: a ranked epoch with a better validation NDCG@10 becomes the best
   * one, a ranked epoch without counts toward patience, an unranked one changes neither.
   */
  public TrainingState after(EpochMetrics m) {
    List<EpochMetrics> rows = new ArrayList<>(history);
    rows.add(m);
    if (!m.ranked()) {
      return new TrainingState(m.epoch(), bestEpoch, bestNdcg, epochsWithoutImprovement, rows);
    }
    if (m.valNdcg10Full() > bestNdcg) {
      return new TrainingState(m.epoch(), m.epoch(), m.valNdcg10Full(), 0, rows);
    }
    return new TrainingState(m.epoch(), bestEpoch, bestNdcg, epochsWithoutImprovement + 1, rows);
  }

  /** The best ranked epoch of {@code history} by the rule of {@link #after} (0: none ranked). */
  public static int bestEpoch(List<EpochMetrics> history) {
    TrainingState state = fresh();
    for (EpochMetrics m : history) {
      state = state.after(m);
    }
    return state.bestEpoch();
  }

  /** Whether {@code patience} ranked epochs have passed without a better one (0 = never stop). */
  public boolean patienceRunOut(int patience) {
    return patience > 0 && epochsWithoutImprovement >= patience;
  }

  /** The epoch whose parameters are the result: the best ranked one, else the last one. */
  public int resultEpoch() {
    return bestEpoch > 0 ? bestEpoch : epoch;
  }

  /** As a checkpoint stores it. */
  public Checkpoints.State toCheckpoint() {
    return new Checkpoints.State(
        epoch,
        bestEpoch,
        bestNdcg,
        epochsWithoutImprovement,
        history.stream().map(EpochMetrics::asMap).toList());
  }

  /** From a checkpoint. */
  public static TrainingState of(Checkpoints.State s) {
    return new TrainingState(
        s.epoch(),
        s.bestEpoch(),
        s.bestNdcg(),
        s.epochsWithoutImprovement(),
        s.history().stream().map(EpochMetrics::fromMap).toList());
  }
}
