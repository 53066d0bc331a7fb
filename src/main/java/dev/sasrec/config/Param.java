package dev.sasrec.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One option of a job, declared once, in the manner of Spark ML's {@code Param}: its key, default,
 * documentation, when it is required, its placeholder in the help, and how its value is parsed and
 * checked. A job's {@code conf/<job>.properties}, its picocli options and its {@code --help} are
 * derived from these declarations ({@link OptionSet}); its configuration record reads each value
 * with {@link #get}.
 *
 * <p>Immutable: {@link #doc}, {@link #check} and the requirement methods return a new declaration,
 * so that one reads as a chain: {@code Param.integer("epochs", 20).atLeast(1).doc("Passes …")}.
 *
 * @param <T> the type of the parsed value
 */
public final class Param<T> implements OptionKey, Declared {

  /** Reads this option's value from resolved options: parsing, with messages naming the option. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Options options, OptionKey key);
  }

  /** A rule on the parsed value and the reason printed when it fails. */
  private record Check<T>(Predicate<T> rule, String reason) {}

  private final String key;
  private final String defaultValue;
  private final String label;
  private final String doc;
  private final Requirement requirement;
  private final Reader<T> reader;
  private final List<Check<T>> checks;

  private Param(
      String key,
      String defaultValue,
      String label,
      String doc,
      Requirement requirement,
      Reader<T> reader,
      List<Check<T>> checks) {
    if (key == null || !key.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException(
          "Cannot declare option: a key is lower case words joined by dashes (" + key + ")");
    }
    this.key = key;
    this.defaultValue = defaultValue;
    this.label = label;
    this.doc = doc;
    this.requirement = requirement;
    this.reader = reader;
    this.checks = List.copyOf(checks);
  }

  /** An option of any type: {@code reader} parses its text. */
  public static <T> Param<T> of(String key, String defaultValue, String label, Reader<T> reader) {
    return new Param<>(key, defaultValue, label, "", Requirement.OPTIONAL, reader, List.of());
  }

  /** Text; blank when not given unless {@code defaultValue} is set. */
  public static Param<String> text(String key, String defaultValue) {
    return of(key, defaultValue, "TEXT", Options::string);
  }

  /** A file or directory: any Hadoop URI (help placeholder {@code URI}). */
  public static Param<String> uri(String key) {
    return of(key, "", "URI", Options::string);
  }

  /** Text that may be blank: empty then. */
  public static Param<Optional<String>> optionalText(String key, String label) {
    return of(key, "", label, Options::optional);
  }

  public static Param<Integer> integer(String key, int defaultValue) {
    return of(key, String.valueOf(defaultValue), "N", Options::integer);
  }

  /** An integer with no default: required where the declaration says so. */
  public static Param<Integer> integer(String key) {
    return of(key, "", "N", Options::integer);
  }

  public static Param<Long> longInteger(String key, long defaultValue) {
    return of(key, String.valueOf(defaultValue), "N", Options::longInteger);
  }

  /** A number whose default is written as given ({@code 0.002}, not {@code 0.0020}). */
  public static Param<Double> decimal(String key, String defaultValue) {
    return of(key, defaultValue, "X", Options::decimal);
  }

  /** A number that may be left blank: empty then. */
  public static Param<Optional<Double>> optionalDecimal(String key) {
    return of(key, "", "X", Options::optionalDecimal);
  }

  /** A true/false switch: alone on the command line it means true. */
  public static Param<Boolean> bool(String key, boolean defaultValue) {
    return of(key, String.valueOf(defaultValue), "true|false", Options::bool);
  }

  /** One of an enum's constants, spelt as {@link Options#cliName}. */
  public static <E extends Enum<E>> Param<E> choice(String key, E defaultValue) {
    Class<E> type = defaultValue.getDeclaringClass();
    List<String> names =
        java.util.Arrays.stream(type.getEnumConstants()).map(Options::cliName).toList();
    return of(
        key, Options.cliName(defaultValue), String.join("|", names), (o, k) -> o.choice(k, type));
  }

  /** A comma-separated list; empty when blank. */
  public static Param<List<String>> list(String key) {
    return of(key, "", "A,B,…", Options::list);
  }

  /** A duration such as 45s, 30m, 2h, 1d, or none (empty). */
  public static Param<Optional<Duration>> durationOrNone(String key, String defaultValue) {
    return of(key, defaultValue, "DURATION|none", Options::durationOrNone);
  }

  /** The same option with its documentation (sentences; --help and the defaults file print it). */
  public Param<T> doc(String text) {
    return new Param<>(key, defaultValue, label, text, requirement, reader, checks);
  }

  /** The same option with another help placeholder. */
  public Param<T> label(String text) {
    return new Param<>(key, defaultValue, text, doc, requirement, reader, checks);
  }

  /** Must be given a value. */
  public Param<T> required() {
    return requirement(new Requirement(Requirement.Kind.ALWAYS, ""));
  }

  /** Must be given a value unless the switch {@code switchKey} is on. */
  public Param<T> requiredUnless(String switchKey) {
    return requirement(new Requirement(Requirement.Kind.UNLESS, switchKey));
  }

  /** Must be given a value when the switch {@code switchKey} is on. */
  public Param<T> requiredWith(String switchKey) {
    return requirement(new Requirement(Requirement.Kind.WITH, switchKey));
  }

  private Param<T> requirement(Requirement r) {
    return new Param<>(key, defaultValue, label, doc, r, reader, checks);
  }

  /** The same option, its value also checked by {@code rule} (refused with {@code reason}). */
  public Param<T> check(Predicate<T> rule, String reason) {
    List<Check<T>> more = new java.util.ArrayList<>(checks);
    more.add(new Check<>(rule, reason));
    return new Param<>(key, defaultValue, label, doc, requirement, reader, more);
  }

  /** A number option, also checked to be at least {@code min}. */
  public Param<T> atLeast(long min) {
    return check(v -> number(v).doubleValue() >= min, "must be at least " + min);
  }

  /** A number option, also checked to be in [{@code min}, {@code max}]. */
  public Param<T> between(double min, double max) {
    return check(
        v -> number(v).doubleValue() >= min && number(v).doubleValue() <= max,
        "must be between " + plain(min) + " and " + plain(max));
  }

  private Number number(T value) {
    if (value instanceof Number n) {
      return n;
    }
    throw new IllegalStateException("Cannot check option " + flag() + ": it is not a number");
  }

  private static String plain(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /**
   * The same option read through {@code map} (a record built from the text, say); an {@link
   * IllegalArgumentException} of {@code map} refuses the value with its message as the reason.
   */
  public <R> Param<R> map(Function<T, R> map) {
    Param<T> self = this;
    Reader<R> mapped =
        (o, k) -> {
          T value = self.get(o);
          try {
            return map.apply(value);
          } catch (IllegalArgumentException e) {
            throw Options.bad(k, o.string(k), e.getMessage());
          }
        };
    return new Param<>(key, defaultValue, label, doc, requirement, mapped, List.of());
  }

  /** The value of this option among {@code options}: parsed, checked, or refused naming it. */
  public T get(Options options) {
    if (requirement.appliesTo(options.asMap()) && options.string(this).isBlank()) {
      throw new UsageException("Cannot run: option " + flag() + " is required");
    }
    T value = reader.read(options, this);
    for (Check<T> check : checks) {
      if (!check.rule().test(value)) {
        throw Options.bad(this, options.string(this), check.reason());
      }
    }
    return value;
  }

  /** The default, parsed and checked as a given value would be. */
  public T parsedDefault() {
    return get(new Options(java.util.Map.of(key, defaultValue)));
  }

  @Override
  public Param<?> param() {
    return this;
  }

  @Override
  public String name() {
    return key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  @Override
  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  /** The placeholder of the value in the help ({@code N}, {@code URI}, {@code a|b}). */
  public String label() {
    return label;
  }

  public String doc() {
    return doc;
  }

  public Requirement requirement() {
    return requirement;
  }

  /** An option whose value is true or false: on the command line it may stand alone. */
  public boolean isSwitch() {
    return label.equals("true|false");
  }

  @Override
  public String toString() {
    return flag();
  }
}
