package dev.sasrec.preprocess;

import dev.sasrec.text.Figures;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * Preprocess's progress lines. Decision: one line when a step starts (which step; also the Spark
 * UI's job description) and one when it ends (the rows it handled and its time), from the counts
 * the job takes anyway; no extra Spark job for it.
 */
final class Progress {

  private final SparkSession spark;

  /** Where the lines go: the log, or a test's list. */
  private final Consumer<String> lines;

  Progress(SparkSession spark, Consumer<String> lines) {
    this.spark = spark;
    this.lines = lines;
  }

  /** Says which step runs (the log, and Spark's UI through the job description). */
  Step start(String description) {
    lines.accept("Preprocess: " + description);
    spark.sparkContext().setJobDescription("Preprocess: " + description);
    return new Step(lines, description, System.nanoTime());
  }

  /** A line of its own, such as the job's last. */
  void line(String line) {
    lines.accept(line);
  }

  /** Clears the job description the steps set, once the last one is done. */
  void finish() {
    spark.sparkContext().setJobDescription(null);
  }

  /** A running step, for its closing line. */
  record Step(Consumer<String> lines, String description, long startNanos) {

    /** Says what the step handled, and how long it took. */
    void done(String format, Object... args) {
      lines.accept(
          String.format(
              Locale.ROOT,
              "Preprocess: %s: %s (%s)",
              description,
              String.format(Locale.ROOT, format, args),
              Figures.duration((System.nanoTime() - startNanos) / 1e9)));
    }

    /** The closing line of a filtering step: what it removed and what is left. */
    void doneFiltering(long removed, long left) {
      done("%,d removed, %,d events left", removed, left);
    }
  }
}
