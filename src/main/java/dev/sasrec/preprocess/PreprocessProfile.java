package dev.sasrec.preprocess;

import java.util.List;

/**
 * {@code profile.json}: the distributions behind the summary figures, for reports and notebooks
 * (which read JSON, not Parquet). Both are histograms, so their size follows the number of distinct
 * values, not the number of sequences or items.
 *
 * @param sequenceLengths how many sequences have each length, ascending by length
 * @param itemPopularity how many items have each event count, descending by count (a rank-frequency
 *     curve is its running sum)
 */
public record PreprocessProfile(List<LengthBin> sequenceLengths, List<CountBin> itemPopularity) {

  /** {@code sequences} sequences have {@code length} events. */
  public record LengthBin(long length, long sequences) {}

  /** {@code items} items occur in {@code events} events each. */
  public record CountBin(long events, long items) {}

  /** Percentiles reported in stats.json. */
  private static final double P50 = 0.5;

  private static final double P90 = 0.9;
  private static final double P99 = 0.99;

  public PreprocessProfile {
    sequenceLengths = List.copyOf(sequenceLengths);
    itemPopularity = List.copyOf(itemPopularity);
  }

  /** Sequences counted by the length histogram. */
  public long sequences() {
    return sequenceLengths.stream().mapToLong(LengthBin::sequences).sum();
  }

  /**
   * Min, percentiles, max and mean of the sequence lengths, exactly as Spark's {@code percentile}
   * and {@code avg} give them (linear interpolation between the two nearest ranks).
   */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public PreprocessStats.Lengths lengthSummary() {
    long n = sequences();
    if (n == 0) {
      return new PreprocessStats.Lengths(0, 0, 0, 0, 0, 0);
    }
    long total = 0;
    for (LengthBin bin : sequenceLengths) {
      total += bin.length() * bin.sequences();
    }
    return new PreprocessStats.Lengths(
        sequenceLengths.get(0).length(),
        percentile(P50),
        percentile(P90),
        percentile(P99),
        sequenceLengths.get(sequenceLengths.size() - 1).length(),
        (double) total / n);
  }

  /** Spark's exact percentile: position p·(n − 1) between the values at its floor and ceiling. */
  double percentile(double p) {
    double position = p * (sequences() - 1);
    long lower = (long) Math.floor(position);
    long higher = (long) Math.ceil(position);
    double low = lengthAt(lower);
    double high = lengthAt(higher);
    return lower == higher ? low : (higher - position) * low + (position - lower) * high;
  }

  /** The length of the sequence at 0-based rank {@code rank} in ascending order. */
  private long lengthAt(long rank) {
    long seen = 0;
    for (LengthBin bin : sequenceLengths) {
      seen += bin.sequences();
      if (seen > rank) {
        return bin.length();
      }
    }
    throw new IllegalStateException(
        "Cannot take a percentile: rank " + rank + " beyond " + seen + " sequences");
  }
}
