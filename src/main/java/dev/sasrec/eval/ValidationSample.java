package dev.sasrec.eval;

import dev.sasrec.io.ExampleRow;
import dev.sasrec.model.RandomStreams;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;

/**
 * How many validation examples each evaluated epoch scores ({@code --validation-examples}): all, a
 * number, or {@code auto}. Full ranking scores every item for every example, about as many
 * multiply-adds per example as training one sequence: at 634,381 items, validating all 20,000
 * examples took 36–40 s against a 45 s fit. {@code auto} keeps the epoch's ranking under {@link
 * #AUTO_SCORES} item scores, never below {@link #AUTO_MINIMUM} examples.
 *
 * <p>A sample is the examples with the smallest hashes of (seed, example key): fixed for the run,
 * so epochs compare on the same examples, and the same after a resume. The test split is always
 * scored whole.
 *
 * @param mode all, a number, or auto
 * @param count the number for {@link Mode#AT_MOST}, else 0
 */
public record ValidationSample(Mode mode, int count) implements Serializable {

  /** Item scores per evaluated epoch under {@code auto}: about 4 s on this project's 2 cores. */
  public static final long AUTO_SCORES = 1_500_000_000L;

  /** The smallest sample {@code auto} takes, whatever the catalogue. */
  public static final int AUTO_MINIMUM = 1_000;

  /** How the number is chosen. */
  public enum Mode {
    ALL,
    AUTO,
    AT_MOST
  }

  public ValidationSample {
    if ((mode == Mode.AT_MOST) != (count > 0)) {
      throw new IllegalArgumentException(
          "Cannot sample validation examples: a count goes with at-most only ("
              + mode
              + ", "
              + count
              + ")");
    }
  }

  public static final ValidationSample ALL = new ValidationSample(Mode.ALL, 0);
  public static final ValidationSample AUTO = new ValidationSample(Mode.AUTO, 0);

  /** At most {@code count} examples. */
  public static ValidationSample atMost(int count) {
    return new ValidationSample(Mode.AT_MOST, count);
  }

  /**
   * Parses the option's value: {@code all}, {@code auto} or a positive number.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static ValidationSample parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "all":
        return ALL;
      case "auto":
        return AUTO;
      default:
        try {
          int count = Integer.parseInt(v);
          if (count > 0) {
            return atMost(count);
          }
        } catch (NumberFormatException e) {
          // Falls through to the one message below.
        }
        throw new IllegalArgumentException("expected all, auto or a positive number");
    }
  }

  /** The examples scored out of {@code examples}, over a catalogue of {@code items}. */
  public long size(long examples, int items) {
    long wanted =
        switch (mode) {
          case ALL -> examples;
          case AT_MOST -> count;
          case AUTO -> Math.max(AUTO_MINIMUM, AUTO_SCORES / Math.max(1, items));
        };
    return Math.min(examples, wanted);
  }

  /**
   * How the sample reads in a log line: "2,364 of 19,998 examples (auto: at most 1,500,000,000 item
   * scores)", or "all 6,040 examples".
   */
  public String describe(long examples, int items) {
    long size = size(examples, items);
    if (size == examples) {
      return String.format(Locale.ROOT, "all %,d examples", examples);
    }
    String why =
        mode == Mode.AUTO
            ? String.format(Locale.ROOT, "auto: at most %,d item scores", AUTO_SCORES)
            : String.format(Locale.ROOT, "at most %,d", count);
    return String.format(Locale.ROOT, "%,d of %,d examples (%s)", size, examples, why);
  }

  /**
   * The {@code size} rows with the smallest hashes of (seed, key); all of {@code rows} when they
   * are no more. Runs one Spark job to find the cut.
   */
  public static JavaRDD<ExampleRow> select(
      JavaRDD<ExampleRow> rows, long examples, long size, long seed) {
    if (size >= examples) {
      return rows;
    }
    List<Long> smallest = rows.map(row -> hash(seed, row)).takeOrdered((int) size);
    long cut = smallest.get(smallest.size() - 1);
    return rows.filter(row -> hash(seed, row) <= cut);
  }

  /** The row's place in the sample order: a hash, the same for a seed and key in every run. */
  static long hash(long seed, ExampleRow row) {
    return RandomStreams.seed(
        seed, RandomStreams.Purpose.VALIDATION_SAMPLE, RandomStreams.EVERY_EPOCH, row.key());
  }
}
