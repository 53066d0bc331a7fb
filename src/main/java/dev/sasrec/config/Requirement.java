package dev.sasrec.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When an option must be given a value. Declared once, in the option's documentation in {@code
 * conf/<job>.properties}, by a comment line that is exactly {@code Required.}, {@code Required
 * unless --switch.} or {@code Required with --switch.}; the line stays part of the text that {@code
 * --help} prints. A switch is an option whose default is {@code true} or {@code false}.
 *
 * <p>Decision: a sentence in the documentation rather than a separate syntax, so the file stays a
 * plain properties file that reads well and the help says it in the same words; the parser only
 * accepts those three exact forms, so a sentence that merely mentions "required" does not count.
 */
public record Requirement(Kind kind, String switchKey) {

  /** Never, always, or depending on a switch. */
  public enum Kind {
    OPTIONAL,
    ALWAYS,
    /** Required while the switch is off (TrainSASRec's --input, except with --summary). */
    UNLESS,
    /** Required while the switch is on (TrainSASRec's --items, with --summary). */
    WITH
  }

  public static final Requirement OPTIONAL = new Requirement(Kind.OPTIONAL, "");

  private static final Pattern LINE =
      Pattern.compile("Required(?: (unless|with) --([a-z0-9-]+))?\\.");

  public Requirement {
    boolean needsSwitch = kind == Kind.UNLESS || kind == Kind.WITH;
    if (needsSwitch == switchKey.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot define requirement: " + kind + " with switch '" + switchKey + "'");
    }
  }

  /** The requirement a documentation line declares, if it is one of the three forms. */
  public static Optional<Requirement> fromDocLine(String line) {
    Matcher m = LINE.matcher(line.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    if (m.group(1) == null) {
      return Optional.of(new Requirement(Kind.ALWAYS, ""));
    }
    return Optional.of(
        new Requirement(m.group(1).equals("unless") ? Kind.UNLESS : Kind.WITH, m.group(2)));
  }

  public boolean optional() {
    return kind == Kind.OPTIONAL;
  }

  /** Whether a value is needed, given every resolved value (the switch's among them). */
  public boolean appliesTo(Map<String, String> values) {
    return switch (kind) {
      case OPTIONAL -> false;
      case ALWAYS -> true;
      case UNLESS -> !isOn(values.get(switchKey));
      case WITH -> isOn(values.get(switchKey));
    };
  }

  /** For messages: empty, or the condition such as {@code with --summary}. */
  public String condition() {
    return switch (kind) {
      case OPTIONAL, ALWAYS -> "";
      case UNLESS -> "unless --" + switchKey;
      case WITH -> "with --" + switchKey;
    };
  }

  private static boolean isOn(String value) {
    return value != null && value.trim().equalsIgnoreCase("true");
  }
}
