package dev.sasrec.train.sparse;

import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A value the driver hands to a round's tasks: broadcast on a cluster; in local mode, where the
 * tasks run in the driver's JVM, left in {@link ReplicaPool} (a broadcast would first serialize it
 * onto the heap: ~80 MB per round of averages and ~1 GB of full state at 634,381 items).
 */
record Shared<T>(Broadcast<T> broadcast, String run, long key) implements Serializable {

  /** Shares {@code value} of run {@code run} under {@code key} (unique within the run). */
  static <T> Shared<T> of(JavaSparkContext sc, String run, long key, T value) {
    if (sc.sc().isLocal()) {
      ReplicaPool.share(run, key, value);
      return new Shared<>(null, run, key);
    }
    return new Shared<>(sc.broadcast(value), run, key);
  }

  /** The value, on the driver or in a task. */
  @SuppressWarnings("unchecked")
  T value() {
    if (broadcast != null) {
      return broadcast.value();
    }
    Object value = ReplicaPool.shared(run, key);
    if (value == null) {
      throw new IllegalStateException(
          "Cannot read a shared value: none under key " + key + " in this JVM for run " + run);
    }
    return (T) value;
  }

  /** Drops the value (the driver, when no task needs it any more). */
  void drop() {
    if (broadcast != null) {
      broadcast.destroy();
    } else {
      ReplicaPool.share(run, key, null);
    }
  }
}
