package dev.sasrec.preprocess;

import dev.sasrec.data.DropReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows removed, by reason: what one step dropped, or what several did together. Every reason is
 * present, zeros included, in {@link DropReason} order: stats.json lists them all.
 */
record Drops(Map<DropReason, Long> counts) {

  /** Nothing dropped. */
  static final Drops NONE = new Drops(Map.of());

  Drops {
    Map<DropReason, Long> all = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      long n = counts.getOrDefault(reason, 0L);
      if (n < 0) {
        throw new IllegalArgumentException(
            "Cannot count dropped rows: a negative count (" + reason.key() + " = " + n + ")");
      }
      all.put(reason, n);
    }
    counts = Collections.unmodifiableMap(all);
  }

  /** {@code n} rows dropped for one reason. */
  static Drops of(DropReason reason, long n) {
    return new Drops(Map.of(reason, n));
  }

  /** These drops and {@code n} more for {@code reason}. */
  Drops plus(DropReason reason, long n) {
    return plus(of(reason, n));
  }

  /** These drops and {@code other}'s, summed per reason. */
  Drops plus(Drops other) {
    Map<DropReason, Long> sum = new EnumMap<>(counts);
    other.counts.forEach((reason, n) -> sum.merge(reason, n, Long::sum));
    return new Drops(sum);
  }

  long get(DropReason reason) {
    return counts.get(reason);
  }

  long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** By stats.json's keys ({@link DropReason#key}), in {@link DropReason} order. */
  Map<String, Long> byKey() {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach((reason, n) -> out.put(reason.key(), n));
    return out;
  }
}
