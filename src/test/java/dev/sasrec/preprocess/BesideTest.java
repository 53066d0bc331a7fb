package dev.sasrec.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BesideTest {

  @Test
  void theWorkRunsOnItsOwnThreadWithWhatTheStepsThreadPassesOn() throws Exception {
    // Spark's local properties (the job description) are inheritable thread-locals like this one.
    InheritableThreadLocal<String> description = new InheritableThreadLocal<>();
    description.set("Preprocess: Build vocabularies");
    CountDownLatch release = new CountDownLatch(1);
    Beside<String> beside =
        Beside.start(
            "sasrec-test",
            () -> {
              release.await();
              return Thread.currentThread().getName() + " " + description.get();
            });
    release.countDown();
    assertThat(beside.result()).isEqualTo("sasrec-test Preprocess: Build vocabularies");
  }

  @Test
  void aFailureOnTheThreadReachesTheStepAsItWasThrown() {
    IllegalArgumentException thrown = new IllegalArgumentException("Cannot remap user ids");
    Beside<String> beside =
        Beside.start(
            "sasrec-test",
            () -> {
              throw thrown;
            });
    assertThatThrownBy(beside::result).isSameAs(thrown);
  }

  @Test
  void abandoningWaitsForTheWorkAndKeepsItsFailureBesideTheStepsOwn() {
    AtomicBoolean finished = new AtomicBoolean();
    Beside<String> beside =
        Beside.start(
            "sasrec-test",
            () -> {
              Thread.sleep(200);
              finished.set(true);
              throw new IllegalStateException("Cannot write users");
            });
    RuntimeException own = new RuntimeException("Cannot write items");
    beside.abandon(own);
    assertThat(finished).isTrue();
    assertThat(own.getSuppressed())
        .extracting(Throwable::getMessage)
        .containsExactly("Cannot write users");
  }
}
