package dev.sasrec.config;

import java.util.Map;

/**
 * When an option must be given a value: never, always, or depending on a switch (an option whose
 * value is true or false). Declared with the option ({@link Param#required}, {@link
 * Param#requiredUnless}, {@link Param#requiredWith}); the defaults file and the help say it in one
 * sentence ({@link #sentence}).
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

  public Requirement {
    boolean needsSwitch = kind == Kind.UNLESS || kind == Kind.WITH;
    if (needsSwitch == switchKey.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot define requirement: " + kind + " with switch '" + switchKey + "'");
    }
  }

  /** "Required.", "Required unless --summary.", or empty for an optional option. */
  public String sentence() {
    return switch (kind) {
      case OPTIONAL -> "";
      case ALWAYS -> "Required.";
      case UNLESS, WITH -> "Required " + condition() + ".";
    };
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
