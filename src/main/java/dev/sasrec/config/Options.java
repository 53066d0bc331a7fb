package dev.sasrec.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolved option values (defaults, then a --config file, then the command line) with typed
 * accessors. Every parse error names the option and the value.
 */
public final class Options {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Map<String, String> values;

  /** Keys asked for so far: the test of conf/*.properties checks that every key is read. */
  private final Set<String> read = ConcurrentHashMap.newKeySet();

  public Options(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The keys read so far, whatever the accessor. */
  public Set<String> keysRead() {
    return Set.copyOf(read);
  }

  /** All resolved values, in option order (recorded in manifests). */
  public Map<String, String> asMap() {
    return values;
  }

  public String string(OptionKey key) {
    String value = values.get(key.key());
    if (value == null) {
      throw new IllegalArgumentException("Cannot read option: unknown key (" + key.key() + ")");
    }
    read.add(key.key());
    return value;
  }

  public Optional<String> optional(OptionKey key) {
    String value = string(key);
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  public int integer(OptionKey key) {
    String value = string(key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw bad(key, value, "not an integer");
    }
  }

  public long longInteger(OptionKey key) {
    String value = string(key);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw bad(key, value, "not an integer");
    }
  }

  public double decimal(OptionKey key) {
    String value = string(key);
    try {
      double parsed = Double.parseDouble(value);
      if (!Double.isFinite(parsed)) {
        throw bad(key, value, "not a finite number");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw bad(key, value, "not a number");
    }
  }

  public Optional<Double> optionalDecimal(OptionKey key) {
    return optional(key).map(v -> decimal(key));
  }

  public boolean bool(OptionKey key) {
    String value = string(key).toLowerCase(Locale.ROOT);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw bad(key, string(key), "expected true or false");
    };
  }

  /** A comma-separated list; empty when the value is blank. */
  public List<String> list(OptionKey key) {
    String value = string(key);
    if (value.isBlank()) {
      return List.of();
    }
    List<String> items = Arrays.stream(value.split(",")).map(String::trim).toList();
    if (items.stream().anyMatch(String::isEmpty)) {
      throw bad(key, value, "empty item in comma-separated list");
    }
    return items;
  }

  /** One of the given lower-case choices. */
  public <E extends Enum<E>> E choice(OptionKey key, Class<E> type) {
    String value = string(key);
    for (E constant : type.getEnumConstants()) {
      if (cliName(constant).equals(value)) {
        return constant;
      }
    }
    List<String> names = Arrays.stream(type.getEnumConstants()).map(Options::cliName).toList();
    throw bad(key, value, "expected one of " + String.join(", ", names));
  }

  /** A duration such as 45s, 30m, 2h, 1d; empty when the value is "none". */
  public Optional<Duration> durationOrNone(OptionKey key) {
    String value = string(key).trim();
    if (value.equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw bad(key, value, "expected a duration like 45s, 30m, 2h, 1d or none");
    }
    long amount = Long.parseLong(m.group(1));
    Duration duration =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
    if (duration.isZero()) {
      throw bad(key, value, "must be positive");
    }
    return Optional.of(duration);
  }

  /** The command-line spelling of an enum constant: lower case with dashes. */
  public static String cliName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static UsageException bad(OptionKey key, String value, String reason) {
    return new UsageException(
        "Cannot parse option " + key.flag() + ": " + reason + " (" + quote(value) + ")");
  }

  private static String quote(String value) {
    return "'" + value + "'";
  }
}
