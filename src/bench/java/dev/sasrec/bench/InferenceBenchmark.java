package dev.sasrec.bench;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.Scorer;
import dev.sasrec.model.SequenceModel;
import dev.sasrec.model.TopItems;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Top-K recommendation throughput of the seed model, as ../shared/bench/ref_recommend_torch.py
 * measures it: U users with random full-length histories, the scores of every item after the last
 * position, the items of the history excluded, the top K kept. Random weights: speed only. Prints
 * users per second for the inference entry point ({@link Scorer}) and for {@link
 * SequenceModel#lastScores} (the [B, N+1] block copied out, then ranked); a benchmark, not a test.
 * Each path first ranks one batch untimed (JIT compilation, the workspace learning its size), then
 * all users are timed.
 *
 * <p>Usage: InferenceBenchmark [users=6040] [items=3416] [batch=256] [k=10]
 */
public final class InferenceBenchmark {

  private InferenceBenchmark() {}

  public static void main(String[] args) {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 6040;
    int items = args.length > 1 ? Integer.parseInt(args[1]) : 3416;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    int k = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    ModelConfig config = SeedModel.of(items);
    INDArray flat = SASRecNetwork.create(config, SASRec.Targets.ALL, 1e-3, 42).params();
    Map<String, INDArray> params = new ParamLayout(config).views(flat);
    SequenceModel model = SequenceModel.of(config, SASRec.Targets.ALL, Objective.BCE);
    SplittableRandom random = new SplittableRandom(0);
    List<float[][]> batches = new ArrayList<>();
    List<List<int[]>> seen = new ArrayList<>();
    for (int start = 0; start < users; start += batch) {
      int rows = Math.min(batch, users - start);
      float[][] features = new float[rows][config.maxLen()];
      List<int[]> excluded = new ArrayList<>(rows);
      for (int r = 0; r < rows; r++) {
        int[] history = new int[config.maxLen()];
        for (int t = 0; t < history.length; t++) {
          history[t] = 1 + random.nextInt(items);
          features[r][t] = history[t];
        }
        excluded.add(Arrays.stream(history).sorted().distinct().toArray());
      }
      batches.add(features);
      seen.add(excluded);
    }
    report(
        "Scorer (inference path, rows read in the workspace)",
        users,
        items,
        batch,
        k,
        () -> {
          Scorer scorer = new Scorer(model, params, null);
          long checksum = 0;
          for (int b = 0; b < batches.size(); b++) {
            for (int[] top : scorer.topK(Nd4j.create(batches.get(b)), k, seen.get(b))) {
              checksum += top[0];
            }
          }
          return checksum;
        });
    report(
        "SequenceModel.lastScores ([B, N+1] copied out)",
        users,
        items,
        batch,
        k,
        () -> {
          long checksum = 0;
          for (int b = 0; b < batches.size(); b++) {
            float[][] scores =
                model.lastScores(params, Nd4j.create(batches.get(b)), null).toFloatMatrix();
            for (int r = 0; r < scores.length; r++) {
              checksum += TopItems.of(scores[r], k, seen.get(b).get(r))[0];
            }
          }
          return checksum;
        });
  }

  private interface Run {
    long run();
  }

  private static void report(String path, int users, int items, int batch, int k, Run run) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long checksum = run.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%s: %.1f users/s (%d users, %d items, batch %d, top %d, OMP_NUM_THREADS=%s;"
            + " %.1f users per CPU-second of the scoring thread; checksum %d)%n",
        path,
        users / seconds,
        users,
        items,
        batch,
        k,
        System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
        users / cpuSeconds,
        checksum);
  }
}
