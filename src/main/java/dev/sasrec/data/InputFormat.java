package dev.sasrec.data;

/** The input formats Preprocess reads. */
public enum InputFormat {
  CSV(","),
  TSV("\t"),
  JSON(""),
  PARQUET(""),
  /** MovieLens ratings.dat: {@code UserID::MovieID::Rating::Timestamp}, no header. */
  MOVIELENS("::");

  private final String defaultDelimiter;

  InputFormat(String defaultDelimiter) {
    this.defaultDelimiter = defaultDelimiter;
  }

  public String defaultDelimiter() {
    return defaultDelimiter;
  }

  public boolean isText() {
    return this == CSV || this == TSV || this == MOVIELENS;
  }
}
