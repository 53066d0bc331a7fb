package dev.sasrec.eval;

import dev.sasrec.io.ExampleRow;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores validation or test examples on the executors (the model is broadcast).
 *
 * <ul>
 *   <li>Loss and accuracy: BCE of the held-out target against one sampled negative, at the last
 *       position only (never training positions).
 *   <li>Sampled ranking (the paper's protocol): the target among {@link #SAMPLED_NEGATIVES} uniform
 *       items not in the history.
 *   <li>Full ranking (gSASRec's protocol): the target among all items, the history excluded.
 * </ul>
 *
 * Negatives depend only on the seed and the row, so every epoch is scored against the same ones.
 */
public final class Evaluator {

  public static final int SAMPLED_NEGATIVES = 100;

  static final long PURPOSE_LOSS_NEGATIVE = 0x51L;
  static final long PURPOSE_RANKING = 0x52L;

  private Evaluator() {}

  public static EvalSums evaluate(
      JavaRDD<ExampleRow> rows, Broadcast<ModelSnapshot> model, long seed, boolean ranking) {
    return BatchScoring.sum(
        rows,
        model,
        (snapshot, params, batch) -> List.of(score(snapshot, params, batch, seed, ranking)));
  }

  /** Scores one batch of rows: exposed for tests. */
  public static EvalSums score(
      ModelSnapshot snapshot,
      Map<String, INDArray> params,
      List<ExampleRow> batch,
      long seed,
      boolean ranking) {
    float[][] scores = snapshot.lastScores(params, batch.stream().map(ExampleRow::items).toList());
    NegativeSampler sampler = new NegativeSampler(snapshot.config().numItems());
    EvalSums sums = EvalSums.ZERO;
    for (int r = 0; r < batch.size(); r++) {
      ExampleRow row = batch.get(r);
      float[] s = scores[r];
      int negative =
          sampler.sample(
              NegativeSampler.randomFor(seed, PURPOSE_LOSS_NEGATIVE, row.key()),
              row.history(),
              new int[] {row.target()});
      double positive = s[row.target()];
      double loss = softplus(-positive) + softplus(s[negative]);
      long correct = (positive > 0 ? 1 : 0) + (s[negative] < 0 ? 1 : 0);
      double hrS = 0;
      double ndcgS = 0;
      double hrF = 0;
      double ndcgF = 0;
      if (ranking) {
        SplittableRandom random = NegativeSampler.randomFor(seed, PURPOSE_RANKING, row.key());
        int[] candidates =
            sampler.sampleDistinct(random, row.history(), row.target(), SAMPLED_NEGATIVES);
        int sampledRank = RankingMetrics.rankAmong(s, row.target(), candidates);
        int fullRank = RankingMetrics.rankFull(s, row.target(), withoutTarget(row));
        hrS = RankingMetrics.hitRate(sampledRank);
        ndcgS = RankingMetrics.ndcg(sampledRank);
        hrF = RankingMetrics.hitRate(fullRank);
        ndcgF = RankingMetrics.ndcg(fullRank);
      }
      sums = sums.plus(new EvalSums(ranking ? 1 : 0, hrS, ndcgS, hrF, ndcgF, 1, loss, correct, 2));
    }
    return sums;
  }

  /** The history, minus the target itself (a repeated item stays rankable). */
  private static int[] withoutTarget(ExampleRow row) {
    return java.util.Arrays.stream(row.history()).filter(i -> i != row.target()).toArray();
  }

  private static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
}
