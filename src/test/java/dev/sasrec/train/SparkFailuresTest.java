package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.config.Refusal;
import java.util.Optional;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** What a failed Spark step of training becomes, without Spark running. */
class SparkFailuresTest {

  private static SparkFailures.StepFailed failure(Throwable thrown) {
    try {
      SparkFailures.step(
          "the fit of epoch 3",
          () -> {
            if (thrown instanceof Error e) {
              throw e;
            }
            throw (RuntimeException) thrown;
          });
    } catch (SparkFailures.StepFailed f) {
      return f;
    }
    throw new AssertionError("no StepFailed for " + thrown);
  }

  @Test
  void sparkGivingUpNamesTheStepAndTheCheckpointToResumeFrom() {
    SparkException aborted =
        new SparkException("Job aborted due to stage failure: Task 1 failed 4 times\nmore detail");
    SparkFailures.StepFailed f = failure(new IllegalStateException("wrapped", aborted));
    assertThat(f.outOfMemory()).isFalse();
    Refusal r = SparkFailures.refusal(f, Optional.of("run/checkpoints/epoch-0002.zip"), () -> "x");
    assertThat(r)
        .hasMessage(
            "Cannot train: Spark gave up on the fit of epoch 3 (Job aborted due to stage failure:"
                + " Task 1 failed 4 times); run the same command with --resume true to continue"
                + " from run/checkpoints/epoch-0002.zip");
    assertThat(SparkFailures.refusal(f, Optional.empty(), () -> "x").getMessage())
        .endsWith("no checkpoint was written yet: run the same command again");
  }

  /** As Spark's Scala code throws it: the checked SparkException itself, undeclared. */
  @Test
  void aSparkExceptionThrownUndeclaredIsCaughtToo() {
    SparkException aborted =
        new SparkException("Job aborted due to stage failure: ExecutorLostFailure (exit 137)");
    SparkFailures.StepFailed f = null;
    try {
      SparkFailures.step("the fit of epoch 2", () -> sneakyThrow(aborted));
    } catch (SparkFailures.StepFailed caught) {
      f = caught;
    }
    assertThat(f).isNotNull();
    assertThat(SparkFailures.refusal(f, Optional.of("epoch-0001.zip"), () -> "x").getMessage())
        .startsWith(
            "Cannot train: Spark gave up on the fit of epoch 2 (Job aborted due to stage failure:")
        .endsWith("run the same command with --resume true to continue from epoch-0001.zip");
  }

  @SuppressWarnings("unchecked")
  private static <T, E extends Throwable> T sneakyThrow(Throwable e) throws E {
    throw (E) e;
  }

  @Test
  void outOfMemorySaysWhatToRaiseAndTheEstimate() {
    SparkFailures.StepFailed f = failure(new OutOfMemoryError("Java heap space"));
    assertThat(f.outOfMemory()).isTrue();
    assertThat(SparkFailures.refusal(f, Optional.empty(), () -> "3.2 GiB").getMessage())
        .startsWith("Cannot train: out of memory in the fit of epoch 3 (java.lang.OutOfMemoryError")
        .contains("estimated to need 3.2 GiB: raise --driver-memory")
        .endsWith("(no checkpoint yet: it starts anew)");
    SparkFailures.StepFailed lost =
        failure(
            new IllegalStateException(
                new SparkException("Task failed: java.lang.OutOfMemoryError: GC overhead")));
    assertThat(lost.outOfMemory()).isTrue();
  }

  @Test
  void otherFailuresAndRefusalsPassThrough() {
    IllegalArgumentException bug = new IllegalArgumentException("a bug");
    assertThatThrownBy(
            () ->
                SparkFailures.step(
                    "s",
                    () -> {
                      throw bug;
                    }))
        .isSameAs(bug);
    Refusal refusal = new Refusal("Cannot train: a refusal", new SparkException("inside"));
    assertThatThrownBy(
            () ->
                SparkFailures.step(
                    "s",
                    () -> {
                      throw refusal;
                    }))
        .isSameAs(refusal);
  }
}
