package dev.sasrec.sample;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.OptionSet;
import dev.sasrec.config.Options;
import dev.sasrec.config.UsageException;
import dev.sasrec.io.JobOutput;
import org.apache.hadoop.fs.Path;

/** Configuration of the synthetic log generator. Defaults: conf/sample.properties. */
public record SampleConfig(
    String output,
    int users,
    int items,
    long events,
    long seed,
    double corruptRate,
    double duplicateRate,
    double transitionProbability,
    double zipfExponent,
    boolean overwrite) {

  /** The options of conf/sample.properties. */
  public enum Key implements OptionKey {
    OUTPUT,
    USERS,
    ITEMS,
    EVENTS,
    SEED,
    CORRUPT_RATE,
    DUPLICATE_RATE,
    TRANSITION_PROBABILITY,
    ZIPF_EXPONENT,
    OVERWRITE
  }

  /** Every option of the job and its defaults file. */
  public static final OptionSet OPTIONS = OptionSet.of("sample", Key.values());

  public SampleConfig {
    if (users < 1 || items < 2 || events < 1) {
      throw new UsageException(
          "Cannot generate sample: need at least 1 user, 2 items and 1 event (users="
              + users
              + ", items="
              + items
              + ", events="
              + events
              + ")");
    }
    if (corruptRate + duplicateRate >= 1) {
      throw new UsageException(
          "Cannot generate sample: corrupt-rate + duplicate-rate must stay below 1 ("
              + (corruptRate + duplicateRate)
              + ")");
    }
  }

  /** The log file. */
  public JobOutput.Target outputTarget() {
    return JobOutput.Target.file(
        "GenerateSample",
        "sample",
        new Path(output),
        JobOutput.IfExists.replaceWhen(overwrite),
        Key.OVERWRITE);
  }

  public static SampleConfig from(Options o) {
    return new SampleConfig(
        o.required(Key.OUTPUT),
        o.integerAtLeast(Key.USERS, 1),
        o.integerAtLeast(Key.ITEMS, 2),
        o.longAtLeast(Key.EVENTS, 1),
        o.longAtLeast(Key.SEED, Long.MIN_VALUE),
        o.fraction(Key.CORRUPT_RATE),
        o.fraction(Key.DUPLICATE_RATE),
        o.fraction(Key.TRANSITION_PROBABILITY),
        o.decimal(Key.ZIPF_EXPONENT),
        o.bool(Key.OVERWRITE));
  }
}
