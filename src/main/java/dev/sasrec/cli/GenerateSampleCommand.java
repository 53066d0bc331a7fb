package dev.sasrec.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sasrec.config.Options;
import dev.sasrec.io.JobOutput;
import dev.sasrec.sample.SampleConfig;
import dev.sasrec.sample.SyntheticLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Writes the synthetic sample log; needs no Spark cluster (runs in the driver or a plain JVM). */
public final class GenerateSampleCommand {

  /** The entry point; tests call its {@code execute}. */
  public static final JobRunner.Command COMMAND =
      new JobRunner.Command(
          SampleConfig.OPTIONS,
          "Usage: spark-submit --class GenerateSample sasrec-spark.jar --output URI [options]\n"
              + "Writes a deterministic synthetic interaction log (CSV) with sessions, Zipf-like"
              + " popularity and item-to-item transitions.",
          GenerateSampleCommand::run);

  /** Bytes buffered before the file system sees them: the log is written row by row. */
  private static final int WRITE_BUFFER = 1 << 20;

  private GenerateSampleCommand() {}

  public static void main(String[] args) {
    COMMAND.main(args);
  }

  private static void run(Options options, PrintStream out) {
    SampleConfig config = SampleConfig.from(options);
    Configuration conf = new Configuration();
    JobOutput output = JobOutput.prepare(config.outputTarget(), conf);
    long rows = output.write(path -> write(config, path, conf));
    Path path = output.root();
    out.printf(
        "Wrote %,d rows (%,d users, %,d items, seed %d) to %s%n",
        rows, config.users(), config.items(), config.seed(), path);
  }

  private static long write(SampleConfig config, Path path, Configuration conf) {
    try (Writer writer =
        new BufferedWriter(
            new OutputStreamWriter(path.getFileSystem(conf).create(path, true), UTF_8),
            WRITE_BUFFER)) {
      return new SyntheticLog(config).write(writer);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write sample: " + e.getMessage() + " (" + path + ")", e);
    }
  }
}
