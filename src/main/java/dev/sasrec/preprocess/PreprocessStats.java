package dev.sasrec.preprocess;

import dev.sasrec.data.ItemCategoryTable;
import dev.sasrec.data.KCoreFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code stats.json}: every input row is either kept or counted under one drop reason, and the
 * constructor refuses figures that do not add up ({@code rowsRead == eventsKept + sum(dropped)}).
 * {@code itemMeta} accounts for the item metadata rows; null without {@code --item-meta}.
 */
public record PreprocessStats(
    long rowsRead,
    long eventsKept,
    Map<String, Long> dropped,
    long users,
    long items,
    long sequences,
    Sessions sessions,
    Splits splits,
    Lengths sequenceLength,
    TimeRange timeRange,
    KCore kcore,
    long truncatedInputs,
    SequenceCap sequenceCap,
    ItemCategoryTable.Counts itemMeta) {

  /**
   * {@code --max-sequence-events}, the kept sequences longer than it and their older events, kept
   * (they count for the vocabularies) but left out of the sequences' examples and histories.
   */
  public record SequenceCap(int maxEvents, long sequencesCapped, long eventsLeftOut) {}

  /** Sessions made by the sessionizer, and those dropped as too short. */
  public record Sessions(long made, long dropped) {}

  /** Examples per split; sequences without a test example; sequences with no example at all. */
  public record Splits(long train, long validation, long test, long withoutTest, long unused) {}

  /** Sequence lengths (events per kept sequence). */
  public record Lengths(long min, double p50, double p90, double p99, long max, double mean) {}

  /** First and last kept event, ISO-8601 UTC. */
  public record TimeRange(String first, String last) {}

  /** The k-core rounds and whether a fixed point was reached. */
  public record KCore(List<KCoreFilter.Round> rounds, boolean converged) {}

  public PreprocessStats {
    dropped = new LinkedHashMap<>(dropped);
    long droppedTotal = dropped.values().stream().mapToLong(Long::longValue).sum();
    if (rowsRead != eventsKept + droppedTotal) {
      throw new IllegalStateException(
          "Cannot account for every row: rowsRead "
              + rowsRead
              + " != eventsKept "
              + eventsKept
              + " + dropped "
              + droppedTotal
              + " ("
              + dropped
              + ")");
    }
  }

  /** The short table the job prints at the end. */
  public String summaryTable() {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("rows read", count(rowsRead));
    dropped.forEach(
        (reason, n) -> {
          if (n > 0) {
            rows.put("  dropped: " + reason, count(n));
          }
        });
    rows.put("events kept", count(eventsKept));
    rows.put("users", count(users));
    rows.put("items", count(items));
    rows.put("sessions made / dropped", count(sessions.made()) + " / " + count(sessions.dropped()));
    if (itemMeta != null) {
      rows.put("categories", count(itemMeta.categories()));
      rows.put("  items without metadata", count(itemMeta.itemsWithoutCategory()));
    }
    rows.put("sequences", count(sequences));
    rows.put(
        "examples train / val / test",
        count(splits.train()) + " / " + count(splits.validation()) + " / " + count(splits.test()));
    rows.put(
        "sequence length p50 / p90 / max",
        String.format(
            Locale.ROOT,
            "%.0f / %.0f / %d",
            sequenceLength.p50(),
            sequenceLength.p90(),
            sequenceLength.max()));
    if (sequenceCap.sequencesCapped() > 0) {
      rows.put(
          "sequences capped / events left out",
          count(sequenceCap.sequencesCapped()) + " / " + count(sequenceCap.eventsLeftOut()));
    }
    rows.put("time range", timeRange.first() + " .. " + timeRange.last());
    rows.put(
        "k-core rounds",
        kcore.rounds().size() + (kcore.converged() ? " (fixed point)" : " (round limit)"));
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder out = new StringBuilder();
    rows.forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", k, v)));
    return out.toString();
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
