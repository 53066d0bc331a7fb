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

  public PreprocessProfile {
    sequenceLengths = List.copyOf(sequenceLengths);
    itemPopularity = List.copyOf(itemPopularity);
  }
}
