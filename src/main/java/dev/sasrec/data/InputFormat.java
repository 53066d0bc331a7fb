package dev.sasrec.data;

import java.util.List;

/** The input formats Preprocess reads. */
public enum InputFormat {
  CSV(",", List.of()),
  TSV("\t", List.of()),
  JSON("", List.of()),
  PARQUET("", List.of()),
  /** MovieLens ratings.dat: {@code UserID::MovieID::Rating::Timestamp}, no header. */
  MOVIELENS("::", List.of("user_id", "item_id", InputFormat.FIXED_RATING_FIELD, "timestamp"));

  private final String defaultDelimiter;
  private final List<String> fixedFields;

  InputFormat(String defaultDelimiter, List<String> fixedFields) {
    this.defaultDelimiter = defaultDelimiter;
    this.fixedFields = fixedFields;
  }

  public String defaultDelimiter() {
    return defaultDelimiter;
  }

  /** The field names of a format without a header line of its own; empty for the others. */
  public List<String> fixedFields() {
    return fixedFields;
  }

  /**
   * The rating field of a format with fixed fields, which Preprocess reads without --rating-col.
   */
  public static final String FIXED_RATING_FIELD = "rating";

  public boolean isText() {
    return this == CSV || this == TSV || this == MOVIELENS;
  }
}
