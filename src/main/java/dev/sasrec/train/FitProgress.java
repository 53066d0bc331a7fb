package dev.sasrec.train;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * Progress lines while an epoch fits: epoch, sequences done of the epoch's total, the running
 * training loss and accuracy, sequences per second and the time left for the epoch and the run.
 *
 * <p>Decision, how the driver learns it: from the epoch's {@link FitAccumulator}, which {@link
 * FitHook} feeds on the workers after every step, read through a {@link SparkListener} (no polling
 * thread, no extra Spark job): a finished task's final sums arrive with its task-end event (every
 * averaging round ends its tasks), and a running task's partial sums with the executor heartbeats
 * (Spark sends the accumulators of running tasks with each heartbeat, every {@code
 * spark.executor.heartbeatInterval}, 10 s by default; local mode too, same code path). Per task the
 * newest value counts, a task-end value is final, and a heartbeat that arrives after its task's end
 * is ignored. A line is printed on the first event of an epoch that carries a finished step (within
 * one heartbeat or one round of the first minibatch, so within ~10 s), then on the first event at
 * least {@link #INTERVAL_NANOS} after the last line: every 30 s, or every averaging round when
 * rounds take longer and no heartbeat comes between. The epoch line of {@link Trainer} follows at
 * the end of the epoch.
 */
final class FitProgress extends SparkListener {

  static final Logger LOG = LoggerFactory.getLogger(FitProgress.class);

  /** The shortest time between two progress lines. */
  static final long INTERVAL_NANOS = 30_000_000_000L;

  private final int epochs;
  private final Consumer<String> log;
  private final LongSupplier clock;

  /** Per task of the current epoch: its newest sums. */
  private final Map<Long, FitSums> tasks = new HashMap<>();

  private final Set<Long> ended = new HashSet<>();
  private long accumulatorId = -1;
  private int epoch;
  private long total;
  private long epochStart;
  private long lastLine;
  private boolean printed;

  /** When the first epoch of this process started, and how many epochs have ended since. */
  private long runStart = -1;

  private int epochsEnded;

  /**
   * @param epochs the run's last epoch
   * @param log where the lines go
   * @param clock nanoseconds ({@link System#nanoTime} outside tests)
   */
  FitProgress(int epochs, Consumer<String> log, LongSupplier clock) {
    this.epochs = epochs;
    this.log = log;
    this.clock = clock;
  }

  /** The fit of {@code epoch} starts, adding its steps to {@code sums}, over {@code total} rows. */
  synchronized void startEpoch(int epoch, FitAccumulator sums, long total) {
    startEpoch(epoch, sums.id(), total);
  }

  /**
   * As {@link #startEpoch(int, FitAccumulator, long)}, for the accumulator {@code accumulatorId}.
   */
  synchronized void startEpoch(int epoch, long accumulatorId, long total) {
    this.epoch = epoch;
    this.accumulatorId = accumulatorId;
    this.total = total;
    this.epochStart = clock.getAsLong();
    if (runStart < 0) {
      runStart = epochStart;
    } else {
      // The previous epoch has ended: its fit, evaluation and checkpoint.
      epochsEnded++;
    }
    tasks.clear();
    ended.clear();
    printed = false;
  }

  /** The fit of the current epoch has ended. */
  synchronized void endEpoch() {
    accumulatorId = -1;
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> task :
        JavaConverters.seqAsJavaList(update.accumUpdates())) {
      FitSums sums = ours(task._4());
      if (sums != null) {
        taskRunning((Long) task._1(), sums);
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    taskEnded(
        end.taskInfo().taskId(),
        ours(end.taskInfo().accumulables()),
        end.reason() instanceof Success$);
  }

  /** A heartbeat's partial sums of a running task. */
  synchronized void taskRunning(long taskId, FitSums sums) {
    if (accumulatorId < 0 || ended.contains(taskId)) {
      return;
    }
    tasks.put(taskId, sums);
    maybeLog();
  }

  /** A task's end, with its final sums (null when it added none) and whether it succeeded. */
  synchronized void taskEnded(long taskId, FitSums sums, boolean success) {
    if (accumulatorId < 0) {
      return;
    }
    ended.add(taskId);
    if (success && sums != null) {
      tasks.put(taskId, sums);
      maybeLog();
    } else {
      // A failed attempt's steps are run again by its retry; they do not count.
      tasks.remove(taskId);
    }
  }

  /** This epoch's sums in a task's accumulator values, or null. */
  private synchronized FitSums ours(scala.collection.Seq<AccumulableInfo> infos) {
    for (AccumulableInfo info : JavaConverters.seqAsJavaList(infos)) {
      Option<Object> update = info.update();
      if (info.id() == accumulatorId && update.isDefined() && update.get() instanceof FitSums s) {
        return s;
      }
    }
    return null;
  }

  private void maybeLog() {
    FitSums sums = FitSums.ZERO;
    for (FitSums s : tasks.values()) {
      sums = sums.plus(s);
    }
    long now = clock.getAsLong();
    if (sums.minibatches() == 0 || (printed && now - lastLine < INTERVAL_NANOS)) {
      return;
    }
    printed = true;
    lastLine = now;
    log.accept(line(sums, (now - epochStart) / 1e9, (now - runStart) / 1e9));
  }

  /** The progress line for {@code sums} after {@code seconds} of the epoch's fit. */
  String line(FitSums sums, double seconds, double runSeconds) {
    double rate = seconds > 0 ? sums.sequences() / seconds : 0;
    double epochLeft = rate > 0 ? Math.max(0, total - sums.sequences()) / rate : Double.NaN;
    // The run's time left: the epochs ended so far in this process give the time per epoch
    // (evaluation included); before the first has ended, this epoch's fit time stands for it.
    double perEpoch = epochsEnded > 0 ? (runSeconds - seconds) / epochsEnded : seconds + epochLeft;
    double runLeft = epochLeft + (epochs - epoch) * perEpoch;
    return String.format(
        Locale.ROOT,
        "epoch %d/%d: %,d/%,d sequences (%.0f%%), train loss %.4f acc %.4f (running), %.0f seq/s,"
            + " epoch left %s, run left %s",
        epoch,
        epochs,
        sums.sequences(),
        total,
        total > 0 ? 100.0 * sums.sequences() / total : 0,
        sums.loss(),
        sums.accuracy(),
        rate,
        duration(epochLeft),
        duration(runLeft));
  }

  /** 42 s, 3 min 05 s, 2 h 07 min. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "-";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
