package dev.sasrec.sample;

import dev.sasrec.config.Options;

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

  public SampleConfig {
    if (users < 1 || items < 2 || events < 1) {
      throw new IllegalArgumentException(
          "Cannot generate sample: need at least 1 user, 2 items and 1 event (users="
              + users
              + ", items="
              + items
              + ", events="
              + events
              + ")");
    }
    if (corruptRate + duplicateRate >= 1) {
      throw new IllegalArgumentException(
          "Cannot generate sample: corrupt-rate + duplicate-rate must stay below 1 ("
              + (corruptRate + duplicateRate)
              + ")");
    }
  }

  public static SampleConfig from(Options o) {
    return new SampleConfig(
        o.required("output"),
        o.integerAtLeast("users", 1),
        o.integerAtLeast("items", 2),
        o.longAtLeast("events", 1),
        o.longAtLeast("seed", Long.MIN_VALUE),
        o.fraction("corrupt-rate"),
        o.fraction("duplicate-rate"),
        o.fraction("transition-probability"),
        o.decimal("zipf-exponent"),
        o.bool("overwrite"));
  }
}
