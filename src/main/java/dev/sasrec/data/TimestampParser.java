package dev.sasrec.data;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import org.apache.spark.sql.api.java.UDF1;

/**
 * Parses an ISO-8601 or patterned event time to epoch milliseconds, or null when it cannot be
 * parsed. Runs on the executors as a Spark UDF; java.time keeps the zone rules explicit and
 * identical everywhere. Epoch times need no UDF (see {@link TimeColumns}).
 */
public final class TimestampParser implements UDF1<String, Long> {

  private final TimeSpec spec;
  private transient DateTimeFormatter formatter;

  public TimestampParser(TimeSpec spec) {
    this.spec = spec;
  }

  @Override
  public Long call(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String value = text.trim();
    try {
      return switch (spec.kind()) {
        case EPOCH_SECONDS, EPOCH_MILLIS ->
            throw new IllegalStateException(
                "Cannot parse epoch times here: they are native Spark expressions (TimeColumns)");
        case ISO_8601 -> parseIso(value);
        case PATTERN -> parsePattern(value);
      };
    } catch (DateTimeException e) {
      return null;
    }
  }

  private long parseIso(String value) {
    if (value.length() <= "yyyy-MM-dd".length()) {
      return LocalDate.parse(value).atStartOfDay(spec.zone()).toInstant().toEpochMilli();
    }
    TemporalAccessor parsed =
        DateTimeFormatter.ISO_DATE_TIME.parseBest(
            value, ZonedDateTime::from, OffsetDateTime::from, LocalDateTime::from);
    if (parsed instanceof LocalDateTime local) {
      return local.atZone(spec.zone()).toInstant().toEpochMilli();
    }
    return Instant.from(parsed).toEpochMilli();
  }

  private long parsePattern(String value) {
    if (formatter == null) {
      formatter = DateTimeFormatter.ofPattern(spec.pattern()).withZone(spec.zone());
    }
    TemporalAccessor parsed = formatter.parse(value);
    if (!parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
      return LocalDate.from(parsed).atStartOfDay(spec.zone()).toInstant().toEpochMilli();
    }
    return Instant.from(parsed).toEpochMilli();
  }
}
