package dev.sasrec.data;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How event times are written in the input. {@code pattern} is a java.time pattern, used only with
 * {@link Kind#PATTERN}; {@code zone} applies to times that carry no zone of their own.
 */
public record TimeSpec(Kind kind, String pattern, ZoneId zone) implements Serializable {

  /** The time formats understood. */
  public enum Kind {
    EPOCH_SECONDS,
    EPOCH_MILLIS,
    ISO_8601,
    PATTERN
  }

  public TimeSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(zone, "zone");
    if (kind == Kind.PATTERN && (pattern == null || pattern.isBlank())) {
      throw new IllegalArgumentException("Cannot define time format: empty pattern");
    }
  }

  /** Parses the {@code --time-format} value: a named kind or a pattern. */
  public static TimeSpec of(String format, ZoneId zone) {
    return switch (format) {
      case "epoch-seconds" -> new TimeSpec(Kind.EPOCH_SECONDS, "", zone);
      case "epoch-millis" -> new TimeSpec(Kind.EPOCH_MILLIS, "", zone);
      case "iso-8601" -> new TimeSpec(Kind.ISO_8601, "", zone);
      default -> new TimeSpec(Kind.PATTERN, format, zone);
    };
  }
}
