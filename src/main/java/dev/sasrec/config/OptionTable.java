package dev.sasrec.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A job's declared options by key, for the command line: defaults, lookups, required values. */
public final class OptionTable {

  private final String job;
  private final Map<String, Param<?>> options;

  OptionTable(String job, List<Param<?>> params) {
    this.job = job;
    Map<String, Param<?>> byKey = new LinkedHashMap<>();
    params.forEach(p -> byKey.put(p.key(), p));
    this.options = java.util.Collections.unmodifiableMap(byKey);
  }

  public String job() {
    return job;
  }

  public boolean has(String key) {
    return options.containsKey(key);
  }

  public Param<?> get(String key) {
    Param<?> option = options.get(key);
    if (option == null) {
      throw new IllegalArgumentException("Cannot find option: " + job + " has no key " + key);
    }
    return option;
  }

  /** The options in declaration order. */
  public List<Param<?>> all() {
    return List.copyOf(options.values());
  }

  /**
   * Fails naming every option that needs a value and has none (a blank value), with its condition
   * when it has one: all at once, so that one try shows all that is missing.
   */
  public void requireValues(Map<String, String> values) {
    List<String> missing = new ArrayList<>();
    for (Param<?> option : options.values()) {
      String value = values.get(option.key());
      if (option.requirement().appliesTo(values) && (value == null || value.isBlank())) {
        String condition = option.requirement().condition();
        missing.add(option.flag() + (condition.isEmpty() ? "" : " (" + condition + ")"));
      }
    }
    if (missing.size() == 1) {
      throw new UsageException("Cannot run: option " + missing.get(0) + " is required");
    }
    if (!missing.isEmpty()) {
      String last = missing.remove(missing.size() - 1);
      throw new UsageException(
          "Cannot run: options " + String.join(", ", missing) + " and " + last + " are required");
    }
  }

  /** Every key mapped to its default. */
  public Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    options.values().forEach(o -> defaults.put(o.key(), o.defaultValue()));
    return defaults;
  }
}
