package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.eval.EvalSums;
import dev.sasrec.io.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The epoch loop without Spark: its collaborators are plain implementations in which the
 * "parameters" are the number of the last epoch fitted and every score follows from them.
 */
class TrainerTest {

  /**
   * A model whose validation NDCG@10 (full) after epoch e is {@code ndcg[e - 1]}, and whose test
   * NDCG@10 is the validation figure of the epoch its parameters come from.
   */
  static final class ScriptedModel implements Trainer.Model, Trainer.CheckpointStore {
    final double[] ndcg;
    final Map<Integer, TrainingState> saved = new TreeMap<>();
    final List<String> calls = new ArrayList<>();
    int parameters;
    int nonFiniteAt = -1;
    int nonFiniteParametersAt = -1;

    ScriptedModel(double... ndcg) {
      this.ndcg = ndcg;
    }

    @Override
    public Trainer.Fit fit(int epoch) {
      calls.add("fit " + epoch);
      parameters = epoch;
      double loss = epoch == nonFiniteAt ? Double.NaN : 1.0 / epoch;
      EvalSums training = new EvalSums(0, 0, 0, 0, 0, 10, 10 * loss, 6, 10);
      return new Trainer.Fit(loss, training, epoch != nonFiniteParametersAt, 100, 0.5, 0.001);
    }

    @Override
    public EvalSums evaluate(Split split, int epoch, Trainer.Ranking ranking) {
      calls.add(split + " " + epoch + " " + ranking);
      double score = ndcg[parameters - 1];
      long ranked = ranking == Trainer.Ranking.RANK ? 1 : 0;
      return new EvalSums(ranked, score, score, score, score, 1, 0.5, 1, 2);
    }

    @Override
    public void save(TrainingState state) {
      saved.put(state.epoch(), state);
    }

    @Override
    public void prune(int newest, int bestEpoch) {
      calls.add("prune " + newest + " " + bestEpoch);
    }

    @Override
    public void restore(int epoch) {
      calls.add("restore " + epoch);
      parameters = epoch;
    }

    @Override
    public Optional<String> newest() {
      return saved.isEmpty()
          ? Optional.empty()
          : Optional.of("epoch-" + ((TreeMap<Integer, TrainingState>) saved).lastKey());
    }
  }

  /** Counts what the loop reports. */
  static final class Recorder implements Trainer.MetricsSink {
    final List<Integer> epochsReported = new ArrayList<>();

    @Override
    public void epochEnded(List<EpochMetrics> history) {
      epochsReported.add(history.size());
    }
  }

  private static Trainer.Outcome train(
      Trainer.Settings settings, ScriptedModel model, Recorder sink, TrainingState start) {
    return new Trainer(settings, model, model, sink).run(start);
  }

  @Test
  void stopsWhenPatienceRunsOutAndTestsTheBestEpoch() {
    ScriptedModel model = new ScriptedModel(0.1, 0.3, 0.2, 0.25, 0.29, 0.9, 0.9);
    Recorder sink = new Recorder();
    Trainer.Outcome outcome = train(new Trainer.Settings(7, 1, 3, 2), model, sink, fresh());
    assertThat(outcome.history()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3, 4, 5);
    assertThat(outcome.bestEpoch()).isEqualTo(2);
    assertThat(model.calls).contains("restore 2").doesNotContain("fit 6");
    assertThat(outcome.test().meanNdcgFull()).isEqualTo(0.3);
    assertThat(model.calls.get(model.calls.size() - 1)).isEqualTo("TEST 2 RANK");
    assertThat(model.calls).contains("prune 2 1", "prune 2 2").doesNotContain("prune 2 3");
    assertThat(sink.epochsReported).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void withoutPatienceEveryEpochRunsAndTheBestIsKept() {
    ScriptedModel model = new ScriptedModel(0.1, 0.3, 0.2, 0.25, 0.29);
    Trainer.Outcome outcome =
        train(new Trainer.Settings(5, 1, 0, 3), model, new Recorder(), fresh());
    assertThat(outcome.history()).hasSize(5);
    assertThat(outcome.bestEpoch()).isEqualTo(2);
  }

  @Test
  void theTrainingLossIsTheFitsRunningMeanAndFitTimeIsPartOfTheWallTime() {
    ScriptedModel model = new ScriptedModel(0.5, 0.6, 0.7);
    Trainer.Outcome outcome =
        train(new Trainer.Settings(3, 1, 0, 3), model, new Recorder(), fresh());
    for (EpochMetrics m : outcome.history()) {
      assertThat(m.trainLoss()).isEqualTo(1.0 / m.epoch());
      assertThat(m.trainAccuracy()).isEqualTo(0.6);
      assertThat(m.fitS()).isEqualTo(0.5);
      assertThat(m.wallS()).isPositive();
    }
  }

  @Test
  void ranksEveryEvalEveryEpochsAndAtTheLastAndOnlyRankedEpochsCountTowardPatience() {
    ScriptedModel model = new ScriptedModel(0.5, 0.9, 0.4, 0.3, 0.2, 0.3, 0.1);
    Trainer.Outcome outcome =
        train(new Trainer.Settings(7, 3, 2, 3), model, new Recorder(), fresh());
    assertThat(model.calls)
        .contains("VALIDATION 1 SKIP", "VALIDATION 3 RANK", "VALIDATION 6 RANK")
        .contains("VALIDATION 7 RANK")
        .noneMatch(call -> call.startsWith("TRAIN"));
    assertThat(outcome.history().get(1).ranked()).isFalse();
    assertThat(outcome.history().get(1).valNdcg10Full()).isNaN();
    // Epoch 2's 0.9 is never ranked: the best ranked epoch is 3; 6 and 7 run out a patience of 2.
    assertThat(outcome.bestEpoch()).isEqualTo(3);
    assertThat(outcome.history()).hasSize(7);
    assertThat(model.saved.get(7).epochsWithoutImprovement()).isEqualTo(2);
  }

  @Test
  void aResumedRunEndsAsTheUninterruptedOne() {
    double[] ndcg = {0.1, 0.4, 0.3, 0.35, 0.38, 0.2};
    Trainer.Settings settings = new Trainer.Settings(6, 1, 3, 3);
    ScriptedModel straight = new ScriptedModel(ndcg);
    Trainer.Outcome uninterrupted = train(settings, straight, new Recorder(), fresh());

    ScriptedModel resumed = new ScriptedModel(ndcg);
    resumed.parameters = 3;
    Trainer.Outcome outcome = train(settings, resumed, new Recorder(), straight.saved.get(3));
    assertThat(resumed.calls).doesNotContain("fit 1", "fit 2", "fit 3").contains("fit 4");
    // Two epochs without improvement before the interruption: epoch 5 runs out the patience.
    assertThat(outcome.history()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3, 4, 5);
    assertThat(outcome.bestEpoch()).isEqualTo(uninterrupted.bestEpoch()).isEqualTo(2);
    assertThat(outcome.history())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("wallS")
        .isEqualTo(uninterrupted.history());
    assertThat(outcome.test()).isEqualTo(uninterrupted.test());
  }

  @Test
  void theCheckpointStateRoundTrips() {
    ScriptedModel model = new ScriptedModel(0.1, 0.3, 0.2);
    train(new Trainer.Settings(3, 2, 0, 3), model, new Recorder(), fresh());
    TrainingState state = model.saved.get(3);
    assertThat(TrainingState.of(state.toCheckpoint())).isEqualTo(state);
    TrainingState first = model.saved.get(1);
    assertThat(TrainingState.of(first.toCheckpoint()).bestNdcg())
        .isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void withoutAnyRankingTheLastEpochIsTheResult() {
    ScriptedModel model = new ScriptedModel(Double.NaN, Double.NaN);
    Trainer.Outcome outcome =
        train(new Trainer.Settings(2, 1, 1, 3), model, new Recorder(), fresh());
    assertThat(outcome.bestEpoch()).isEqualTo(2);
    assertThat(model.calls).contains("restore 2");
  }

  @Test
  void aNonFiniteLossStopsNamingTheLastGoodCheckpoint() {
    ScriptedModel model = new ScriptedModel(0.1, 0.2, 0.3);
    model.nonFiniteAt = 3;
    Recorder sink = new Recorder();
    assertThatThrownBy(() -> train(new Trainer.Settings(3, 1, 0, 3), model, sink, fresh()))
        .hasMessageStartingWith("Cannot continue training: the loss is not finite in epoch 3")
        .hasMessageContaining("the last good checkpoint is epoch-2")
        .hasMessageEndingWith("(lower --lr and --resume true)");
    assertThat(model.saved).containsOnlyKeys(1, 2);
    assertThat(sink.epochsReported).containsExactly(1, 2);
  }

  @Test
  void aFitWithNonFiniteParametersStopsToo() {
    ScriptedModel model = new ScriptedModel(0.1);
    model.nonFiniteParametersAt = 1;
    assertThatThrownBy(
            () -> train(new Trainer.Settings(1, 1, 0, 1), model, new Recorder(), fresh()))
        .hasMessageContaining("not finite in epoch 1 (score 1.0)")
        .hasMessageContaining("the last good checkpoint is none");
  }

  private static TrainingState fresh() {
    return TrainingState.fresh();
  }
}
