package dev.sasrec.data;

import dev.sasrec.config.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The interaction log to read: where and in which format, which columns hold the user, the item and
 * the time (and optionally a rating and an event type), and how times are written. The input part
 * of the Preprocess configuration.
 */
public record EventLog(Input input, Columns columns, TimeSpec time) {

  /** Where and how to read the log. {@code fieldNames} is empty when a header names the fields. */
  public record Input(
      String uri, InputFormat format, boolean header, String delimiter, List<String> fieldNames) {
    public Input {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(format, "format");
      fieldNames = List.copyOf(fieldNames);
      if (format.isText() && !header && fieldNames.isEmpty()) {
        throw new UsageException(
            "Cannot read input: --columns is required when --header is false (" + uri + ")");
      }
      if (format.isText() && delimiter.isEmpty()) {
        throw new UsageException("Cannot parse option --delimiter: empty (" + uri + ")");
      }
    }
  }

  /** Column roles. Rating and event type are optional. */
  public record Columns(
      String user, String item, String time, Optional<String> rating, Optional<String> event) {
    public Columns {
      for (String c : List.of(user, item, time)) {
        if (c == null || c.isBlank()) {
          throw new UsageException("Cannot parse column roles: empty column name");
        }
      }
    }

    /** Every configured role column: user, item, time, then rating and event type if set. */
    public List<String> all() {
      List<String> all = new ArrayList<>(List.of(user, item, time));
      rating.ifPresent(all::add);
      event.ifPresent(all::add);
      return List.copyOf(all);
    }
  }

  public EventLog {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(time, "time");
  }
}
