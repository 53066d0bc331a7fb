package dev.sasrec.train;

import dev.sasrec.config.Refusal;
import dev.sasrec.eval.BatchScoring;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.model.dl4j.ItemUpdates;
import dev.sasrec.text.Figures;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * What a run needs in memory, from the model's size before Spark starts: {@code --dry-run} prints
 * it, and a run whose JVM limits cannot hold it is refused in one line naming the figure and what
 * to raise, instead of dying in an executor task.
 *
 * <p>Float32 throughout. Native (ND4J, off the JVM heap): the driver's network (its checkpoint is
 * written from it, while the validation runs); per worker its copy of the network with gradients
 * and updater state while it trains, or a copy of the parameters and a batch of scores while it
 * ranks; a second network while a checkpoint loads (then no worker trains). Heap: the serialized
 * broadcasts (the scoring snapshot; the full state the row-sparse master shares in a fit's first
 * round), with dense averaging every worker's parameters and state in each round's results. A
 * checkpoint loads as a stream ({@code ModelZip}), not through the heap. In local mode all of it is
 * in the one JVM.
 *
 * @param parameters bytes of the parameters
 * @param updaterState bytes of Adam's state (lazy Adam: also a step count per row)
 * @param nativeBytes native memory the run needs at its peak
 * @param heapBytes JVM heap the run needs at its peak, Spark's own included
 */
public record MemoryEstimate(
    long parameters, long updaterState, long nativeBytes, long heapBytes, int workers) {

  private static final long FLOAT = Float.BYTES;

  /** Spark's own heap use in local mode, besides the run's broadcasts and results. */
  static final long SPARK_HEAP = 512L << 20;

  /** ND4J's working memory per worker (activations of a batch, workspaces), besides the arrays. */
  static final long WORKER_SCRATCH = 256L << 20;

  /**
   * The estimate for {@code model} trained as {@code config} asks; {@code local}: Spark's local
   * mode, driver and workers in one JVM.
   */
  public static MemoryEstimate of(ModelConfig model, TrainConfig config, boolean local) {
    ParamLayout layout = new ParamLayout(model);
    long params = 0;
    long state = 0;
    for (ParamLayout.Param p : layout.params()) {
      long n = p.length();
      params += FLOAT * n;
      boolean lazy =
          config.itemUpdates() == ItemUpdates.SPARSE && p.kind() == ParamLayout.Kind.VOCABULARY;
      state += FLOAT * (lazy ? 2 * n + p.shape()[0] : 2 * n);
    }
    long workers = config.workers();
    long model1 = params + state;
    long training =
        switch (config.averaging()) {
          // A replica: parameters, gradients, state.
          case SPARSE -> params + model1;
          // DL4J's worker: the same, plus the copies it averages and returns.
          case DENSE -> params + 2 * model1;
        };
    long scoring = params + 2 * FLOAT * BatchScoring.BATCH * model.itemRows();
    // The full state is the driver's own arrays (FullState.of), not a copy; on a cluster its
    // broadcast is serialized onto the driver's heap (in local mode the tasks take it in the JVM).
    long fullStateHeap = !local && config.averaging() == TrainConfig.Averaging.SPARSE ? model1 : 0;
    long nativeBytes =
        Math.max(
            model1 + workers * (Math.max(training, scoring) + WORKER_SCRATCH),
            // Restoring the best epoch: its network loads beside the current one.
            2 * model1);
    long results = config.averaging() == TrainConfig.Averaging.DENSE ? (workers + 1) * model1 : 0;
    long heapBytes = SPARK_HEAP + 2 * params + Math.max(fullStateHeap, results);
    return new MemoryEstimate(params, state, nativeBytes, heapBytes, config.workers());
  }

  /**
   * Refuses a local run (driver and workers in this JVM) whose limits cannot hold the estimate:
   * JavaCPP's limits on ND4J's memory and on the process, and the JVM heap.
   */
  void requireLocal(long maxHeap, long maxNative, long maxProcess) {
    if (maxNative > 0 && nativeBytes > maxNative) {
      throw refusal("native memory", nativeBytes, maxNative, "org.bytedeco.javacpp.maxBytes");
    }
    if (maxProcess > 0 && nativeBytes + heapBytes > maxProcess) {
      throw refusal(
          "memory in all",
          nativeBytes + heapBytes,
          maxProcess,
          "org.bytedeco.javacpp.maxPhysicalBytes");
    }
    if (heapBytes > maxHeap) {
      throw refusal("JVM heap", heapBytes, maxHeap, "-Xmx");
    }
  }

  /** {@link #requireLocal} against this JVM's limits. */
  void requireLocal() {
    requireLocal(Runtime.getRuntime().maxMemory(), Pointer.maxBytes(), Pointer.maxPhysicalBytes());
  }

  private Refusal refusal(String what, long need, long limit, String setting) {
    return new Refusal(
        String.format(
            Locale.ROOT,
            "Cannot train: the model needs about %s of %s (%s) and this JVM may use %s (%s); raise"
                + " --driver-memory (submit/spark-submit sets JavaCPP's limits from it; default:"
                + " from this machine's memory), or lower --workers or --hidden",
            Figures.memory(need),
            what,
            this,
            Figures.memory(limit),
            setting));
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "parameters %s, Adam state %s, %d workers: %s native, %s heap",
        Figures.memory(parameters),
        Figures.memory(updaterState),
        workers,
        Figures.memory(nativeBytes),
        Figures.memory(heapBytes));
  }
}
