package dev.sasrec.train;

import dev.sasrec.text.Figures;
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
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * Progress lines while an epoch fits: epoch, sequences done of the epoch's total, the running
 * training loss and accuracy, sequences per second and the time left for the epoch and the run. The
 * time left comes from the rate of the rounds after the epoch's first (which carries the JIT's
 * warm-up and the workers' first copy of the network: 3 % into a run its rate once promised 8 min
 * for a run that took 1 min 10 s); until a second round has ended the line says it is estimating.
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

  /**
   * The epoch's finished rounds, for the estimates: when the first round (the JIT's warm-up, the
   * workers' first copy of the network) ended and the sequences done then, and the same at the
   * latest round's end. Estimates use the rate between the two, so none is made before a second
   * round has ended.
   */
  private long firstRoundEnd;

  private long sequencesAtFirstRound;
  private long lastRoundEnd;
  private long sequencesAtLastRound;

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
    sequencesAtFirstRound = 0;
    sequencesAtLastRound = 0;
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
  public void onJobEnd(SparkListenerJobEnd end) {
    roundEnded();
  }

  /**
   * A Spark job of the fit has ended: each averaging round is one (the master's counting jobs end
   * with no step done and do not count).
   */
  synchronized void roundEnded() {
    if (accumulatorId < 0) {
      return;
    }
    long done = 0;
    for (Map.Entry<Long, FitSums> task : tasks.entrySet()) {
      if (ended.contains(task.getKey())) {
        done += task.getValue().sequences();
      }
    }
    if (done == 0) {
      return;
    }
    long now = clock.getAsLong();
    if (sequencesAtFirstRound == 0) {
      firstRoundEnd = now;
      sequencesAtFirstRound = done;
    } else if (done > sequencesAtLastRound) {
      lastRoundEnd = now;
      sequencesAtLastRound = done;
    }
  }

  /** Sequences per second of the rounds after the first, or NaN before a second has ended. */
  private double steadyRate() {
    if (sequencesAtLastRound <= sequencesAtFirstRound || lastRoundEnd <= firstRoundEnd) {
      return Double.NaN;
    }
    return (sequencesAtLastRound - sequencesAtFirstRound) / ((lastRoundEnd - firstRoundEnd) / 1e9);
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
    double steady = steadyRate();
    double epochLeft = Math.max(0, total - sums.sequences()) / steady;
    // The run's time left: the epochs ended so far in this process give the time per epoch
    // (evaluation included); before the first has ended, this epoch's fit time stands for it.
    double perEpoch = epochsEnded > 0 ? (runSeconds - seconds) / epochsEnded : seconds + epochLeft;
    double runLeft = epochLeft + (epochs - epoch) * perEpoch;
    String left =
        Double.isFinite(epochLeft)
            ? "epoch left "
                + Figures.duration(epochLeft)
                + ", run left "
                + Figures.duration(runLeft)
            : "time left: estimating after the first rounds";
    return String.format(
        Locale.ROOT,
        "epoch %d/%d: %s/%s sequences (%.0f%%), train loss %.4f acc %.4f (running), %s seq/s, %s",
        epoch,
        epochs,
        Figures.count(sums.sequences()),
        Figures.count(total),
        total > 0 ? 100.0 * sums.sequences() / total : 0,
        sums.loss(),
        sums.accuracy(),
        Figures.rate(rate),
        left);
  }
}
