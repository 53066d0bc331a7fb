package dev.sasrec.cli;

import dev.sasrec.config.ConfigFile;
import dev.sasrec.config.OptionTable;
import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
import dev.sasrec.config.UsageException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A job's command line on picocli, built from its declared options ({@link Param}): every key is an
 * option {@code --key VALUE} (or {@code --key=VALUE}); a true/false option also stands alone
 * ({@code --resume} = {@code --resume true}). Nothing is declared here per job, so a declared
 * option is on the command line and in the help at once.
 *
 * <p>Values: picocli asks a default-value provider for every option not given; the provider holds
 * the file's defaults, overlaid by a {@code --config} file when one is given, hence the precedence
 * defaults &lt; {@code --config} &lt; command line. Values stay text: the jobs' typed accessors
 * ({@link Options}) parse and check them, so every message names the option and the value the same
 * way, wherever the value came from.
 */
public final class JobCommandLine {

  /** Help lines are wrapped at this width. */
  public static final int HELP_WIDTH = 100;

  static final String CONFIG = "--config";
  static final String VERBOSE = "--verbose";

  /** What the arguments ask for. */
  public enum Request {
    RUN,
    HELP,
    VERSION
  }

  /** The request, the resolved options (for a run) and whether failures show their stack trace. */
  public record Parsed(Request request, Options options, boolean verbose) {}

  private final OptionTable table;
  private final String usage;

  /**
   * @param usage the synopsis ("Usage: …", more synopsis lines indented under it), then what the
   *     job does, printed above the options
   */
  public JobCommandLine(OptionTable table, String usage) {
    this.table = table;
    this.usage = usage;
  }

  /**
   * Parses {@code args}; does not check that required options have values (see {@link
   * OptionTable#requireValues}), so tests may build partial configurations.
   */
  public Parsed parse(String[] args) {
    Defaults defaults = new Defaults(table.defaults());
    CommandLine cli = commandLine(defaults, false);
    ParseResult result = parse(cli, args);
    boolean verbose = isOn(result, VERBOSE);
    if (cli.isUsageHelpRequested()) {
      return new Parsed(Request.HELP, null, verbose);
    }
    if (cli.isVersionHelpRequested()) {
      return new Parsed(Request.VERSION, null, verbose);
    }
    if (result.hasMatchedOption(CONFIG)) {
      // The file's values become the defaults; parsing again applies them under the arguments.
      Map<String, String> layered = new HashMap<>(table.defaults());
      layered.putAll(ConfigFile.read(result.matchedOptionValue(CONFIG, ""), table));
      defaults = new Defaults(layered);
      cli = commandLine(defaults, false);
      parse(cli, args);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Param<?> option : table.all()) {
      Object value = cli.getCommandSpec().findOption(option.flag()).getValue();
      values.put(option.key(), value == null ? "" : value.toString());
    }
    return new Parsed(Request.RUN, new Options(values), verbose);
  }

  /** Prints the usage, then every option with its documentation and default, wrapped. */
  public void printHelp(PrintStream out) {
    commandLine(null, true).usage(out, CommandLine.Help.Ansi.OFF);
  }

  /** Prints the versions of this jar, Spark, DL4J/ND4J and the ND4J build. */
  public void printVersion(PrintStream out) {
    commandLine(null, false).printVersionHelp(out);
  }

  private static ParseResult parse(CommandLine cli, String[] args) {
    try {
      return cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(ParseErrors.message(e, args));
    }
  }

  private static boolean isOn(ParseResult result, String flag) {
    return result.hasMatchedOption(flag)
        && Boolean.parseBoolean(result.matchedOptionValue(flag, "true"));
  }

  /**
   * The picocli command: for help, options that must be given are marked required (shown with
   * {@code *}); for parsing they are not, since a {@code --config} file may supply them and their
   * condition (e.g. {@code unless --summary}) is checked on the resolved values. The help has no
   * default-value provider (picocli would show an option with a default as optional); each
   * description ends with its default instead.
   */
  private CommandLine commandLine(Defaults defaults, boolean forHelp) {
    CommandSpec spec = CommandSpec.create().name(table.job());
    spec.interpolateVariables(false);
    if (defaults != null) {
      spec.defaultValueProvider(defaults);
    }
    spec.versionProvider(new VersionInfo());
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .description("Print this help and exit.")
            .build());
    spec.addOption(
        OptionSpec.builder("--version")
            .versionHelp(true)
            .description("Print the versions of this jar, Spark, DL4J and ND4J and exit.")
            .build());
    spec.addOption(
        OptionSpec.builder(CONFIG)
            .paramLabel("URI")
            .type(String.class)
            .description(
                "Properties file (any Hadoop URI) whose keys replace these defaults; options on the"
                    + " command line replace both.")
            .build());
    spec.addOption(
        switchBuilder(VERBOSE)
            .description("On failure, print the stack trace too (routine failures print one line).")
            .build());
    for (Param<?> option : table.all()) {
      spec.addOption(jobOption(option, forHelp));
    }
    spec.usageMessage()
        .width(HELP_WIDTH)
        .autoWidth(false)
        .sortOptions(false)
        .requiredOptionMarker('*')
        .longOptionsMaxWidth(30)
        .synopsisHeading("")
        .customSynopsis(synopsis(true))
        .descriptionHeading("%n")
        .description(synopsis(false))
        .optionListHeading(
            "%nOptions (defaults from conf/" + table.job() + ".properties; * = required):%n");
    spec.parser()
        .overwrittenOptionsAllowed(true)
        .expandAtFiles(false)
        .unmatchedOptionsAllowedAsOptionParameters(false)
        .caseInsensitiveEnumValuesAllowed(false);
    return new CommandLine(spec);
  }

  /**
   * The usage's synopsis lines (the first, and those indented under it) or the rest, its
   * description.
   */
  private String[] synopsis(boolean synopsisLines) {
    List<String> lines = usage.lines().toList();
    int end = 1;
    while (end < lines.size() && lines.get(end).startsWith(" ")) {
      end++;
    }
    List<String> part = synopsisLines ? lines.subList(0, end) : lines.subList(end, lines.size());
    return part.stream().map(JobCommandLine::escape).toArray(String[]::new);
  }

  private static OptionSpec jobOption(Param<?> option, boolean forHelp) {
    OptionSpec.Builder builder =
        option.isSwitch()
            ? switchBuilder(option.flag())
            : OptionSpec.builder(option.flag()).type(String.class).paramLabel(option.label());
    String text = option.doc();
    if (!option.requirement().optional()) {
      text += " " + option.requirement().sentence();
    }
    if (!option.defaultValue().isEmpty()) {
      text += " [default: " + option.defaultValue() + "]";
    }
    return builder
        .description(escape(text))
        .required(forHelp && !option.requirement().optional())
        .build();
  }

  /** A true/false option: alone it means true; a following true or false is its value. */
  private static OptionSpec.Builder switchBuilder(String flag) {
    return OptionSpec.builder(flag)
        .type(String.class)
        .arity("0..1")
        .fallbackValue("true")
        .paramLabel("true|false");
  }

  /** picocli formats help text with String.format: a literal % must be doubled. */
  private static String escape(String text) {
    return text.replace("%", "%%");
  }

  /** The defaults picocli applies to every option not on the command line. */
  private record Defaults(Map<String, String> values) implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec argSpec) {
      if (argSpec instanceof OptionSpec option && option.longestName().startsWith("--")) {
        return values.get(option.longestName().substring(2));
      }
      return null;
    }
  }

  /** Messages for what picocli refuses, in the project's "Cannot …" form. */
  static final class ParseErrors {
    private ParseErrors() {}

    static String message(CommandLine.ParameterException e, String[] args) {
      if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
        return unmatched(unmatched);
      }
      if (e instanceof CommandLine.MissingParameterException missing
          && !missing.getMissing().isEmpty()
          && missing.getMissing().get(0) instanceof OptionSpec option) {
        return "Cannot parse arguments: option " + option.longestName() + " needs a value";
      }
      return "Cannot parse arguments: " + e.getMessage();
    }

    private static String unmatched(CommandLine.UnmatchedArgumentException e) {
      List<String> args = e.getUnmatched();
      String first = args.isEmpty() ? "" : args.get(0);
      if (!e.isUnknownOption()) {
        return "Cannot parse arguments: unexpected argument '"
            + first
            + "' (options start with --; see --help)";
      }
      String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      String closest = closest(name, e.getCommandLine().getCommandSpec().optionsMap().keySet());
      return "Cannot parse arguments: unknown option "
          + name
          + (closest == null ? " (see --help)" : " (did you mean " + closest + "?)");
    }

    /**
     * The option nearest to {@code name} by edit distance, if it is near enough to be a slip (at
     * most a quarter of the name, and at least 2). Decision: our own measure rather than picocli's
     * suggestions, which offer a name even when nothing is close (--colour: --config).
     */
    static String closest(String name, Iterable<String> options) {
      String best = null;
      int bestDistance = Math.max(2, name.length() / 4) + 1;
      for (String option : options) {
        int distance = editDistance(name, option);
        if (distance < bestDistance) {
          best = option;
          bestDistance = distance;
        }
      }
      return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character. */
    static int editDistance(String a, String b) {
      int[] previous = new int[b.length() + 1];
      int[] current = new int[b.length() + 1];
      for (int j = 0; j <= b.length(); j++) {
        previous[j] = j;
      }
      for (int i = 1; i <= a.length(); i++) {
        current[0] = i;
        for (int j = 1; j <= b.length(); j++) {
          int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
          current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
        }
        int[] swap = previous;
        previous = current;
        current = swap;
      }
      return previous[b.length()];
    }
  }
}
