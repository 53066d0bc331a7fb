package dev.sasrec.data;

import java.util.Arrays;
import java.util.List;

/**
 * Why an input row did not become part of a sequence. Unusable rows ({@code rejected.*}) are
 * written raw to {@code <output>/rejected/}; the others are removed by a documented policy. Every
 * reason is counted in stats.json, zero counts included.
 */
public enum DropReason {
  BLANK_ROW("rejected.blank-row"),
  MALFORMED_ROW("rejected.malformed-row"),
  MISSING_USER("rejected.missing-user"),
  MISSING_ITEM("rejected.missing-item"),
  MISSING_TIMESTAMP("rejected.missing-timestamp"),
  BAD_TIMESTAMP("rejected.bad-timestamp"),
  MISSING_RATING("rejected.missing-rating"),
  BAD_RATING("rejected.bad-rating"),
  MISSING_EVENT_TYPE("rejected.missing-event-type"),
  LOW_RATING("filtered.min-rating"),
  EVENT_TYPE("filtered.event-type"),
  DUPLICATE("duplicate"),
  CONSECUTIVE_REPEAT("consecutive-repeat"),
  K_CORE("k-core"),
  SHORT_SESSION("short-session");

  private final String key;

  DropReason(String key) {
    this.key = key;
  }

  /** The key used in stats.json and in the rejected rows' reason column. */
  public String key() {
    return key;
  }

  public boolean isRejection() {
    return key.startsWith("rejected.");
  }

  public static List<DropReason> rejections() {
    return Arrays.stream(values()).filter(DropReason::isRejection).toList();
  }
}
