package dev.sasrec.data;

/** Column names of the cleaned event table that flows between the Spark steps. */
public final class EventColumns {
  /** Raw user id (string). */
  public static final String USER = "user";

  /** Raw item id (string). */
  public static final String ITEM = "item";

  /** Event time, epoch milliseconds (long). */
  public static final String TS = "ts";

  /** Rating (double), present only when a rating column is configured. */
  public static final String RATING = "rating";

  /** Event type (string), present only when an event-type column is configured. */
  public static final String EVENT = "event_type";

  /** Why a row is unusable (string; null for a usable row). */
  public static final String REASON = "reason";

  /** The original row as JSON, kept for rejected rows only. */
  public static final String RAW = "raw";

  /** The file a row came from. */
  public static final String SOURCE_FILE = "source_file";

  /** The raw item id as a number when it is one: ties in time are broken by it, then by text. */
  public static final String ITEM_ORDER = "item_order";

  /** Session number within a user, from 0. */
  public static final String SESSION = "session";

  /** Events in the session (long). */
  public static final String SESSION_LENGTH = "session_length";

  /** Position within the session, from 0. */
  public static final String POSITION = "position";

  private EventColumns() {}
}
