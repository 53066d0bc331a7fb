package dev.sasrec.train.sparse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The replicas an executor JVM keeps between rounds, for one training run at a time.
 *
 * <p>Decision: static state, against the house rule, because Spark gives a task no other place to
 * leave something for the next task on the same executor (DL4J's own workers and Spark's broadcast
 * cache do the same). It is bounded: replicas of one run only (a new run's first task drops the old
 * ones), at most as many as tasks ran at once, and {@link #release} empties it.
 */
final class ReplicaPool {

  private static final Object LOCK = new Object();
  private static String run = "";
  private static final Deque<Replica> FREE = new ArrayDeque<>();
  private static final Map<Long, Object> SHARED = new HashMap<>();

  private ReplicaPool() {}

  /** A free replica of run {@code runId}, or null. */
  static Replica take(String runId) {
    synchronized (LOCK) {
      if (!run.equals(runId)) {
        clear();
        run = runId;
      }
      return FREE.pollFirst();
    }
  }

  /** Returns a replica taken for {@code runId}. */
  static void give(String runId, Replica replica) {
    synchronized (LOCK) {
      if (run.equals(runId)) {
        FREE.addFirst(replica);
      }
    }
  }

  /**
   * In local mode, the driver leaves what a round's tasks read here instead of broadcasting it
   * ({@link Shared}); null withdraws it.
   */
  static void share(String runId, long key, Object value) {
    synchronized (LOCK) {
      if (!run.equals(runId)) {
        clear();
        run = runId;
      }
      if (value == null) {
        SHARED.remove(key);
      } else {
        SHARED.put(key, value);
      }
    }
  }

  /** What the driver left under {@code key} for {@code runId}, or null. */
  static Object shared(String runId, long key) {
    synchronized (LOCK) {
      return run.equals(runId) ? SHARED.get(key) : null;
    }
  }

  /**
   * Drops the replicas of {@code runId} in this JVM (the driver's, in local mode). What the driver
   * shared stays: it withdraws each value itself ({@link Shared#drop}), and another task of the
   * same round may still be about to read it.
   */
  static void release(String runId) {
    synchronized (LOCK) {
      if (run.equals(runId)) {
        closeReplicas();
      }
    }
  }

  /** Forgets everything of the previous run: a new run has started. */
  private static void clear() {
    closeReplicas();
    SHARED.clear();
  }

  /**
   * Frees the replicas' native memory now (the collector would free it only when the heap fills).
   */
  private static void closeReplicas() {
    FREE.forEach(Replica::close);
    FREE.clear();
  }
}
