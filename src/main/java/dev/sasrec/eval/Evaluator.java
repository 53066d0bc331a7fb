package dev.sasrec.eval;

import dev.sasrec.io.ExampleRow;
import dev.sasrec.io.Split;
import dev.sasrec.model.BceLoss;
import dev.sasrec.model.RandomStreams;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * Scores validation or test examples on the executors (the model is broadcast), from one inference
 * pass per batch ({@link BatchScoring.Scoring#scores}: the last position only, no backward caches).
 *
 * <ul>
 *   <li>Loss and accuracy: the training objective's BCE ({@link BceLoss}) of the held-out target
 *       against one sampled negative, at the last position only (never training positions).
 *   <li>Sampled ranking (the paper's protocol): the target among {@link #SAMPLED_NEGATIVES} uniform
 *       items not in the history.
 *   <li>Full ranking (gSASRec's protocol): the target among all items, the history excluded.
 * </ul>
 *
 * Negatives depend only on the seed, the split and the row ({@link RandomStreams}), so every epoch
 * is scored against the same ones.
 */
public final class Evaluator {

  public static final int SAMPLED_NEGATIVES = 100;

  /** The random streams of a held-out split: its loss negatives and its ranking candidates. */
  record Streams(RandomStreams.Purpose negatives, RandomStreams.Purpose ranking)
      implements java.io.Serializable {
    static Streams of(Split split) {
      return switch (split) {
        case VALIDATION ->
            new Streams(
                RandomStreams.Purpose.VALIDATION_NEGATIVES,
                RandomStreams.Purpose.VALIDATION_RANKING);
        case TEST ->
            new Streams(RandomStreams.Purpose.TEST_NEGATIVES, RandomStreams.Purpose.TEST_RANKING);
        case TRAIN ->
            throw new IllegalArgumentException(
                "Cannot evaluate the training split: its loss comes from the fit");
      };
    }
  }

  private Evaluator() {}

  /** Scores a held-out split ({@link Split#VALIDATION} or {@link Split#TEST}). */
  public static EvalSums evaluate(
      JavaRDD<ExampleRow> rows,
      Broadcast<ModelSnapshot> model,
      long seed,
      Split split,
      boolean ranking) {
    Streams streams = Streams.of(split);
    return BatchScoring.sum(
        rows, model, (scoring, batch) -> List.of(score(scoring, batch, seed, streams, ranking)));
  }

  /** Scores one batch of rows of {@code split}: exposed for tests. */
  public static EvalSums score(
      BatchScoring.Scoring scoring,
      List<ExampleRow> batch,
      long seed,
      Split split,
      boolean ranking) {
    return score(scoring, batch, seed, Streams.of(split), ranking);
  }

  private static EvalSums score(
      BatchScoring.Scoring scoring,
      List<ExampleRow> batch,
      long seed,
      Streams streams,
      boolean ranking) {
    NegativeSampler sampler = new NegativeSampler(scoring.snapshot().config().numItems());
    Sums sums = new Sums();
    scoring.scores(
        batch.stream().map(ExampleRow::items).toList(),
        (r, scores) -> {
          ExampleRow row = batch.get(r);
          int target = row.target();
          int negative =
              sampler.sample(
                  RandomStreams.random(
                      seed, streams.negatives(), RandomStreams.EVERY_EPOCH, row.key()),
                  row.history(),
                  new int[] {target});
          sums.positions++;
          sums.loss += BceLoss.pair(scores[target], scores[negative]);
          sums.correct += BceLoss.correct(scores[target], scores[negative]);
          if (ranking) {
            SplittableRandom random =
                RandomStreams.random(seed, streams.ranking(), RandomStreams.EVERY_EPOCH, row.key());
            int[] candidates =
                sampler.sampleDistinct(random, row.history(), target, SAMPLED_NEGATIVES);
            int sampledRank = RankingMetrics.rankAmong(scores, target, candidates);
            int fullRank = RankingMetrics.rankFull(scores, target, withoutTarget(row));
            sums.rows++;
            sums.hrSampled += RankingMetrics.hitRate(sampledRank);
            sums.ndcgSampled += RankingMetrics.ndcg(sampledRank);
            sums.hrFull += RankingMetrics.hitRate(fullRank);
            sums.ndcgFull += RankingMetrics.ndcg(fullRank);
          }
        });
    return sums.toEvalSums();
  }

  /** A batch's sums while its rows are scored one by one. */
  private static final class Sums {
    long rows;
    double hrSampled;
    double ndcgSampled;
    double hrFull;
    double ndcgFull;
    long positions;
    double loss;
    long correct;

    EvalSums toEvalSums() {
      // Two decisions per position: the target and the negative.
      return new EvalSums(
          rows, hrSampled, ndcgSampled, hrFull, ndcgFull, positions, loss, correct, 2 * positions);
    }
  }

  /** The history, minus the target itself (a repeated item stays rankable). */
  private static int[] withoutTarget(ExampleRow row) {
    return Arrays.stream(row.history()).filter(i -> i != row.target()).toArray();
  }
}
