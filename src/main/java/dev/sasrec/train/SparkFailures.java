package dev.sasrec.train;

import dev.sasrec.config.Refusal;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.SparkException;

/**
 * How a Spark step of training fails. A lost executor is routine: Spark re-runs its tasks (up to
 * {@code spark.task.maxFailures} each) and the step goes on. When Spark gives up on a step instead,
 * or memory runs out, {@link #step} raises a {@link StepFailed} naming the step, and the job turns
 * it into one line ({@link #refusal}) that names the checkpoint {@code --resume true} continues
 * from, not Spark's stack trace. A refusal raised inside a task keeps its own line.
 */
final class SparkFailures {

  /** Characters of Spark's reason kept in the one line. */
  private static final int MAX_CAUSE_CHARS = 400;

  private SparkFailures() {}

  /** A step Spark gave up on, or that ran out of memory. */
  static final class StepFailed extends RuntimeException {
    private final String step;
    private final String reason;
    private final boolean outOfMemory;

    StepFailed(String step, String reason, boolean outOfMemory, Throwable cause) {
      super("Cannot train: " + step + " failed (" + reason + ")", cause);
      this.step = step;
      this.reason = reason;
      this.outOfMemory = outOfMemory;
    }

    boolean outOfMemory() {
      return outOfMemory;
    }
  }

  /** Runs {@code body}, one Spark step of the run called {@code step} ("the fit of epoch 3"). */
  static <T> T step(String step, Supplier<T> body) {
    try {
      return body.get();
    } catch (OutOfMemoryError e) {
      throw new StepFailed(step, e.toString(), true, e);
    } catch (Exception e) {
      // Exception, not RuntimeException: Spark's Scala code throws the checked SparkException
      // undeclared (a job aborted by the scheduler arrives that way).
      SparkException aborted = Refusal.in(e) == null ? sparkExceptionIn(e) : null;
      if (aborted == null) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      String reason = firstLine(aborted.getMessage());
      throw new StepFailed(
          step, reason, reason.contains(OutOfMemoryError.class.getSimpleName()), e);
    }
  }

  /**
   * The line that stops the run: what to do, and from which checkpoint ({@code newest}) a resumed
   * run continues. Out of memory, the same command would fail the same way, so the line says what
   * to raise and what the run was estimated to need ({@code estimate}).
   */
  static Refusal refusal(StepFailed f, Optional<String> newest, Supplier<String> estimate) {
    if (f.outOfMemory) {
      return new Refusal(
          "Cannot train: out of memory in "
              + f.step
              + " ("
              + f.reason
              + "); the run was estimated to need "
              + estimate.get()
              + ": raise --driver-memory (local) or spark.executor.memory and"
              + " spark.executor.memoryOverhead (cluster), or lower --workers, then resume with "
              + TrainConfig.Key.RESUME.flag()
              + " true"
              + newest.map(zip -> " from " + zip).orElse(" (no checkpoint yet: it starts anew)"),
          f.getCause());
    }
    return new Refusal(
        "Cannot train: Spark gave up on "
            + f.step
            + " ("
            + f.reason
            + "); "
            + newest
                .map(
                    zip ->
                        "run the same command with "
                            + TrainConfig.Key.RESUME.flag()
                            + " true to continue from "
                            + zip)
                .orElse("no checkpoint was written yet: run the same command again"),
        f.getCause());
  }

  private static SparkException sparkExceptionIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SparkException s) {
        return s;
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    String line = message == null ? "no message" : message.lines().findFirst().orElse("");
    return line.length() <= MAX_CAUSE_CHARS ? line : line.substring(0, MAX_CAUSE_CHARS) + "…";
  }
}
