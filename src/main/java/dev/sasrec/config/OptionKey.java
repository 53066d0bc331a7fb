package dev.sasrec.config;

import java.util.Locale;

/**
 * One documented option: a key of a job's {@code conf/<job>.properties} and, with two dashes, of
 * its command line. Implemented by the enums that declare each job's keys, whose constant names
 * spell the keys ({@code OUTPUT_TABLE} is {@code output-table}); {@link OptionSet} ties an enum to
 * its file.
 */
public interface OptionKey {

  /** The enum constant's name. */
  String name();

  /** The key in the properties file. */
  default String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The command-line spelling, for messages: {@code --key}. */
  default String flag() {
    return "--" + key();
  }
}
