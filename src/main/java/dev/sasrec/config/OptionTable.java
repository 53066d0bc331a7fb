package dev.sasrec.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one job, read from its documented defaults file in {@code conf/} (bundled in the
 * jar as {@code /conf/<job>.properties}). That file is the single home of every default: the
 * comment lines right above a key are its documentation, printed by {@code --help}.
 */
public final class OptionTable {

  /**
   * One option: its key (the command-line name without dashes), default, documentation and when it
   * must have a value.
   */
  public record Option(String key, String defaultValue, String doc, Requirement requirement) {
    public Option {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("Cannot define option: empty key");
      }
    }

    /** An option whose default is true or false: on the command line it may stand alone. */
    public boolean isSwitch() {
      return defaultValue.equals("true") || defaultValue.equals("false");
    }

    /** The command-line spelling: {@code --key}. */
    public String flag() {
      return "--" + key;
    }
  }

  private final String job;
  private final Map<String, Option> options;

  private OptionTable(String job, Map<String, Option> options) {
    this.job = job;
    this.options = options;
  }

  /** Loads {@code /conf/<job>.properties} from the classpath. */
  public static OptionTable load(String job) {
    String resource = "/conf/" + job + ".properties";
    try (InputStream in = OptionTable.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "Cannot load option defaults: resource not on the classpath (" + resource + ")");
      }
      return parse(job, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load option defaults (" + resource + ")", e);
    }
  }

  /** Parses the defaults-file format: {@code # doc} lines, then {@code key = value}. */
  public static OptionTable parse(String job, String text) {
    Map<String, Option> options = new LinkedHashMap<>();
    List<String> doc = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String trimmed = line.trim();
        if (trimmed.isEmpty()) {
          doc.clear();
        } else if (trimmed.startsWith("#")) {
          doc.add(trimmed.substring(1).trim());
        } else {
          int eq = trimmed.indexOf('=');
          if (eq < 0) {
            throw new IllegalStateException(
                "Cannot parse option defaults of " + job + ": no '=' (" + trimmed + ")");
          }
          String key = trimmed.substring(0, eq).trim();
          String value = trimmed.substring(eq + 1).trim();
          Requirement requirement =
              doc.stream()
                  .map(Requirement::fromDocLine)
                  .flatMap(java.util.Optional::stream)
                  .findFirst()
                  .orElse(Requirement.OPTIONAL);
          options.put(key, new Option(key, value, String.join(" ", doc), requirement));
          doc.clear();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    checkSwitches(job, options);
    return new OptionTable(job, java.util.Collections.unmodifiableMap(options));
  }

  /** A requirement that depends on a switch must name an option that is one. */
  private static void checkSwitches(String job, Map<String, Option> options) {
    for (Option option : options.values()) {
      String key = option.requirement().switchKey();
      if (!key.isEmpty() && (!options.containsKey(key) || !options.get(key).isSwitch())) {
        throw new IllegalStateException(
            "Cannot parse option defaults of "
                + job
                + ": "
                + option.key()
                + " is required "
                + option.requirement().condition()
                + ", which is not a true/false option");
      }
    }
  }

  public String job() {
    return job;
  }

  public boolean has(String key) {
    return options.containsKey(key);
  }

  public Option get(String key) {
    Option option = options.get(key);
    if (option == null) {
      throw new IllegalArgumentException("Cannot find option: " + job + " has no key " + key);
    }
    return option;
  }

  /** The options in file order. */
  public List<Option> all() {
    return List.copyOf(options.values());
  }

  /**
   * Fails naming every option that needs a value and has none (a blank value), with its condition
   * when it has one: all at once, so that one try shows all that is missing.
   */
  public void requireValues(Map<String, String> values) {
    List<String> missing = new ArrayList<>();
    for (Option option : options.values()) {
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
