package dev.sasrec.cli;

import dev.sasrec.config.OptionSet;
import dev.sasrec.config.OptionTable;
import dev.sasrec.config.Options;
import dev.sasrec.config.Refusal;
import dev.sasrec.config.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The shared shape of every entry point: parse the options (defaults from conf/, {@link
 * JobCommandLine}), print help or the version or run, and turn failures into one clear line and an
 * exit code.
 */
public final class JobRunner {

  /** Exit code of a successful run, of --help and of --version. */
  public static final int OK = 0;

  /** Exit code when the job failed on its data or environment. */
  public static final int FAILED = 1;

  /** Exit code of a bad option or value. */
  public static final int USAGE = 2;

  /** What a job does with its resolved options. */
  @FunctionalInterface
  public interface Job {
    void run(Options options, PrintStream out) throws Exception;
  }

  /** One entry point: its options, its usage text for --help, and what it runs. */
  public record Command(OptionSet options, String usage, Job job) {

    /**
     * Runs and returns the exit code; never calls System.exit (tests call this). A bad option (exit
     * 2) and a {@link Refusal} (exit 1) print their one line; anything else that escapes the job is
     * unexpected and prints its stack trace too. {@code --verbose} prints the trace of any failure.
     */
    public int execute(String[] args, PrintStream out, PrintStream err) {
      boolean verbose = Arrays.asList(args).contains(JobCommandLine.VERBOSE);
      try {
        OptionTable table = options.load();
        JobCommandLine cli = new JobCommandLine(table, usage);
        JobCommandLine.Parsed parsed = cli.parse(args);
        verbose = parsed.verbose();
        switch (parsed.request()) {
          case HELP -> cli.printHelp(out);
          case VERSION -> cli.printVersion(out);
          case RUN -> {
            table.requireValues(parsed.options().asMap());
            job.run(parsed.options(), out);
          }
        }
        return OK;
      } catch (UsageException e) {
        fail(e, e.getMessage(), verbose, err);
        return USAGE;
      } catch (Exception e) {
        Refusal refusal = Refusal.in(e);
        if (refusal != null) {
          // Routine: the message says what to do; a stack trace would only bury it.
          fail(e, refusal.getMessage(), verbose, err);
        } else {
          fail(e, messageOf(e), true, err);
        }
        return FAILED;
      }
    }

    /** For main methods: exits the JVM only on failure, so spark-submit sees the code. */
    public void main(String[] args) {
      int code = execute(args, System.out, System.err);
      if (code != OK) {
        System.exit(code);
      }
    }
  }

  private static void fail(Exception e, String message, boolean trace, PrintStream err) {
    err.println(message);
    if (trace) {
      e.printStackTrace(err);
    }
  }

  private JobRunner() {}

  /** The job's Spark session: the master and all Spark settings come from spark-submit. */
  static SparkSession spark(String job) {
    return SparkSession.builder().appName("sasrec " + job).getOrCreate();
  }

  /** The Hadoop configuration of a --dry-run, which starts no Spark. */
  static Configuration dryRunConf() {
    return new Configuration();
  }

  private static String messageOf(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t.getMessage() == null || !t.getMessage().startsWith("Cannot"))) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : e.toString();
  }
}
