package dev.sasrec.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Parses {@code --key value} (or {@code --key=value}) against a job's {@link OptionTable}.
 * Precedence: defaults in conf/ &lt; a properties file given with {@code --config URI} &lt; the
 * command line.
 */
public final class CommandLine {

  public static final String HELP = "help";
  public static final String CONFIG = "config";

  /** What the arguments asked for: help, or a run with these options. */
  public record Parsed(boolean helpRequested, Options options) {}

  private final OptionTable table;

  public CommandLine(OptionTable table) {
    this.table = table;
  }

  public Parsed parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    String configUri = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException(
            "Cannot parse arguments: expected an option starting with -- ('" + arg + "')");
      }
      String key = arg.substring(2);
      String value = null;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      }
      if (key.equals(HELP)) {
        return new Parsed(true, new Options(table.defaults()));
      }
      if (!key.equals(CONFIG) && !table.has(key)) {
        throw new UsageException(
            "Cannot parse arguments: unknown option --" + key + " (see --help)");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException("Cannot parse arguments: option --" + key + " needs a value");
        }
        value = args[++i];
      }
      if (key.equals(CONFIG)) {
        configUri = value;
      } else {
        given.put(key, value);
      }
    }
    Map<String, String> resolved = table.defaults();
    if (configUri != null) {
      resolved.putAll(readConfigFile(configUri));
    }
    resolved.putAll(given);
    return new Parsed(false, new Options(resolved));
  }

  private Map<String, String> readConfigFile(String uri) {
    Properties props = new Properties();
    Path path = new Path(uri);
    // The FileSystem instance is cached and shared by Hadoop: close the stream only.
    try (InputStream in = path.getFileSystem(new Configuration()).open(path)) {
      props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UsageException("Cannot read --config file: " + e.getMessage() + " (" + uri + ")");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : props.stringPropertyNames()) {
      if (!table.has(key)) {
        throw new UsageException(
            "Cannot read --config file: unknown key " + key + " (" + uri + ")");
      }
      values.put(key, props.getProperty(key).trim());
    }
    return values;
  }

  /** Prints every option with its default and documentation. */
  public void printHelp(String usage, PrintStream out) {
    out.println(usage);
    out.println();
    out.println("Options (defaults from conf/" + table.job() + ".properties):");
    out.printf("  --%-24s %s%n", CONFIG + " URI", "Properties file overriding the defaults.");
    out.printf("  --%-24s %s%n", HELP, "Print this help and exit.");
    for (OptionTable.Option option : table.all()) {
      String shown = option.defaultValue().isEmpty() ? "(none)" : option.defaultValue();
      out.printf("  --%-24s %s [default: %s]%n", option.key(), option.doc(), shown);
    }
  }
}
