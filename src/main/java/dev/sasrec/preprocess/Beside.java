package dev.sasrec.preprocess;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A piece of a step that runs on a thread of its own while the step's thread does the rest. The
 * thread is new, so it inherits Spark's local properties (the step's job description) and active
 * session as they are when it starts. A failure on it reaches the step as it was thrown.
 */
final class Beside<T> {

  private final CompletableFuture<T> outcome = new CompletableFuture<>();

  private Beside() {}

  /** Starts {@code work} on a new thread named {@code name}. */
  static <T> Beside<T> start(String name, Callable<T> work) {
    Beside<T> beside = new Beside<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                beside.outcome.complete(work.call());
              } catch (Throwable t) {
                beside.outcome.completeExceptionally(t);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return beside;
  }

  /** Waits for the work; its exception, if it failed, is thrown as it was. */
  T result() {
    try {
      return outcome.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot wait for a step: interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("Cannot finish a step: " + cause.getMessage(), cause);
    }
  }

  /**
   * Waits for the work when the step's own part failed with {@code failure}: nothing may still
   * write once the step has failed. The work's own failure is added to {@code failure}.
   */
  void abandon(RuntimeException failure) {
    try {
      result();
    } catch (RuntimeException | Error e) {
      failure.addSuppressed(e);
    }
  }
}
