package dev.sasrec.bench;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plain {@code MultiLayerNetwork.fit} at the seed configuration (d 128, 3 blocks, 2 heads, L 50) on
 * random sequences: training sequences per second (wall clock, and per CPU-second of the training
 * thread, which a shared machine disturbs less when ND4J runs one thread), and the process RSS at
 * two iterations (native memory must stay flat). Prints one line of figures; a benchmark, not a
 * test.
 *
 * <p>Usage: ThroughputBenchmark [iterations=40] [items=3416] [batch=128] [rssFrom=0] (rssFrom: the
 * iteration whose RSS is the baseline; the RSS at the last iteration is compared with it).
 */
public final class ThroughputBenchmark {

  static final int WARMUP = 5;

  private ThroughputBenchmark() {}

  public static void main(String[] args) throws IOException {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int items = args.length > 1 ? Integer.parseInt(args[1]) : 3416;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
    int rssFrom = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    ModelConfig config = SeedModel.of(items);
    MultiLayerNetwork net = SASRecNetwork.create(config, SASRec.Targets.ALL, 1e-3, 42);
    SplittableRandom random = new SplittableRandom(1);
    DataSet[] batches = new DataSet[8];
    for (int b = 0; b < batches.length; b++) {
      float[][] features = new float[batch][config.maxLen()];
      float[][] labels = new float[batch][2 * config.maxLen()];
      for (int r = 0; r < batch; r++) {
        for (int t = 0; t < config.maxLen(); t++) {
          features[r][t] = 1 + random.nextInt(items);
          labels[r][t] = 1 + random.nextInt(items);
          labels[r][config.maxLen() + t] = 1 + random.nextInt(items);
        }
      }
      batches[b] = new DataSet(Nd4j.create(features), Nd4j.create(labels));
    }
    long baselineRss = 0;
    long timedStart = 0;
    long cpuStart = 0;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 1; i <= iterations; i++) {
      if (i == WARMUP + 1) {
        timedStart = System.nanoTime();
        cpuStart = threads.getCurrentThreadCpuTime();
      }
      net.fit(batches[i % batches.length]);
      if (i == rssFrom) {
        baselineRss = rssKb();
      }
    }
    double seconds = (System.nanoTime() - timedStart) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    double seqPerS = (double) (iterations - WARMUP) * batch / seconds;
    long lastRss = rssKb();
    System.out.printf(
        Locale.ROOT,
        "plain MultiLayerNetwork.fit: %.1f seq/s (batch %d, %d items, %d timed iterations,"
            + " OMP_NUM_THREADS=%s; %.1f seq per CPU-second of the training thread)%n",
        seqPerS,
        batch,
        items,
        iterations - WARMUP,
        System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
        (iterations - WARMUP) * batch / cpuSeconds);
    if (rssFrom > 0) {
      System.out.printf(
          Locale.ROOT,
          "RSS at iteration %d: %.1f MiB; at iteration %d: %.1f MiB; growth %.2f%%%n",
          rssFrom,
          baselineRss / 1024.0,
          iterations,
          lastRss / 1024.0,
          100.0 * (lastRss - baselineRss) / baselineRss);
    }
  }

  /** Resident set size of this process, from /proc (Linux). */
  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IOException("Cannot read RSS: no VmRSS in /proc/self/status");
  }
}
