package dev.sasrec.train;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One daemon thread for a run's background writes: the writes run in the order they are given, and
 * the thread never keeps the JVM alive after the job.
 */
final class BackgroundWriter {

  private BackgroundWriter() {}

  /** A single daemon thread named {@code name}. */
  static ExecutorService named(String name) {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
