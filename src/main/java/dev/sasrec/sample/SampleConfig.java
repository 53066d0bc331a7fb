package dev.sasrec.sample;

import dev.sasrec.config.OptionSet;
import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
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
    int heavyUsers,
    long heavyUserEvents,
    boolean overwrite) {

  /**
   * The options of the job, each declared once: the command line, its help and
   * conf/sample.properties derive from these.
   */
  public static final class Key {
    private Key() {}

    public static final Param<String> OUTPUT =
        Param.uri("output").required().doc("Output file: any Hadoop URI or path.");

    public static final Param<Integer> USERS =
        Param.integer("users", 2000).atLeast(1).doc("Number of users.");

    public static final Param<Integer> ITEMS =
        Param.integer("items", 1000).atLeast(2).doc("Number of items.");

    public static final Param<Long> EVENTS =
        Param.longInteger("events", 100000)
            .atLeast(1)
            .doc("Number of rows to write (events, duplicates and corrupt rows together).");

    public static final Param<Long> SEED =
        Param.longInteger("seed", 42)
            .doc("Random seed: the same seed and sizes give the same file.");

    public static final Param<Double> CORRUPT_RATE =
        Param.decimal("corrupt-rate", "0.001")
            .between(0, 1)
            .doc(
                "Share of rows written corrupt (missing user or item, bad timestamp, malformed "
                    + "row) to exercise the reject path.");

    public static final Param<Double> DUPLICATE_RATE =
        Param.decimal("duplicate-rate", "0.002")
            .between(0, 1)
            .doc("Share of events written twice (exact duplicates) to exercise de-duplication.");

    public static final Param<Double> TRANSITION_PROBABILITY =
        Param.decimal("transition-probability", "0.75")
            .between(0, 1)
            .doc(
                "Probability that the next item in a session follows the previous item's "
                    + "transitions rather than popularity.");

    public static final Param<Double> ZIPF_EXPONENT =
        Param.decimal("zipf-exponent", "0.8").doc("Zipf exponent of item popularity.");

    public static final Param<Integer> HEAVY_USERS =
        Param.integer("heavy-users", 0)
            .atLeast(0)
            .doc(
                "Users beside the others with far more events (bots, shared accounts): the k-th of"
                    + " n holds heavy-user-events * k / n events, one every few seconds, part of"
                    + " events.");

    public static final Param<Long> HEAVY_USER_EVENTS =
        Param.longInteger("heavy-user-events", 1_000_000)
            .atLeast(1)
            .doc("Events of the heaviest of the heavy users.");

    public static final Param<Boolean> OVERWRITE =
        Param.bool("overwrite", true).doc("Replace an existing output file.");
  }

  /** Every option of the job. */
  public static final OptionSet OPTIONS =
      OptionSet.of(
          "sample",
          "Defaults of the GenerateSample job: a deterministic synthetic interaction log (CSV:"
              + " user_id,item_id,timestamp in epoch seconds) with sessions, Zipf-like popularity"
              + " and item-to-item transitions, so that a sequential model clearly beats popularity"
              + " on it.",
          Key.class);

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
    if (heavyEvents() >= events) {
      throw new UsageException(
          "Cannot generate sample: the heavy users' "
              + heavyEvents()
              + " events leave none of "
              + events
              + " for the other users (heavy-users="
              + heavyUsers
              + ", heavy-user-events="
              + heavyUserEvents
              + ")");
    }
    if (corruptRate + duplicateRate >= 1) {
      throw new UsageException(
          "Cannot generate sample: corrupt-rate + duplicate-rate must stay below 1 ("
              + (corruptRate + duplicateRate)
              + ")");
    }
  }

  /** Events of the k-th heavy user (1..heavyUsers). */
  public long heavyUserEvents(int k) {
    return heavyUserEvents * k / heavyUsers;
  }

  /** Events of all heavy users together. */
  public long heavyEvents() {
    long total = 0;
    for (int k = 1; k <= heavyUsers; k++) {
      total += heavyUserEvents(k);
    }
    return total;
  }

  /** The log file. */
  public JobOutput.Target outputTarget() {
    return JobOutput.Target.file(
        "sample", new Path(output), JobOutput.IfExists.replaceWhen(overwrite), Key.OVERWRITE);
  }

  public static SampleConfig from(Options o) {
    return new SampleConfig(
        Key.OUTPUT.get(o),
        Key.USERS.get(o),
        Key.ITEMS.get(o),
        Key.EVENTS.get(o),
        Key.SEED.get(o),
        Key.CORRUPT_RATE.get(o),
        Key.DUPLICATE_RATE.get(o),
        Key.TRANSITION_PROBABILITY.get(o),
        Key.ZIPF_EXPONENT.get(o),
        Key.HEAVY_USERS.get(o),
        Key.HEAVY_USER_EVENTS.get(o),
        Key.OVERWRITE.get(o));
  }
}
