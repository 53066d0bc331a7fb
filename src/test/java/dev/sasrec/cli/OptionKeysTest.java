package dev.sasrec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.config.ConfFilesTest;
import dev.sasrec.config.OptionSet;
import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.recommend.RecommendConfig;
import dev.sasrec.sample.SampleConfig;
import dev.sasrec.train.TrainConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every declared option is read when its job builds its configuration (conf/*.properties against
 * the declarations: {@link dev.sasrec.config.ConfFilesTest}).
 */
class OptionKeysTest {

  @Test
  void everyKeyIsReadWhenTheJobsBuildTheirConfiguration() {
    Set<String> read = new TreeSet<>();
    // Keys read only on some paths get a run each: item metadata, gBCE's negatives, --summary.
    read.addAll(
        reads(
            PreprocessConfig.OPTIONS,
            Map.of("input", "in", "output", "out", "item-meta", "meta.csv"),
            PreprocessConfig::from));
    read.addAll(
        reads(
            TrainConfig.OPTIONS,
            Map.of("input", "in", "output", "out", "loss", "gbce"),
            o -> {
              TrainConfig.summaryRequested(o);
              TrainConfig.from(o);
            }));
    read.addAll(
        reads(
            TrainConfig.OPTIONS,
            Map.of("model", "cafe", "items", "5", "categories", "2"),
            o -> TrainConfig.summaryModel(o, 3)));
    read.addAll(
        reads(
            RecommendConfig.OPTIONS,
            Map.of("model", "m", "input", "in", "output", "out"),
            RecommendConfig::from));
    read.addAll(reads(SampleConfig.OPTIONS, Map.of("output", "out"), SampleConfig::from));
    Set<String> declared = new TreeSet<>();
    for (OptionSet job : ConfFilesTest.JOBS) {
      job.keyNames().forEach(k -> declared.add(job.name() + ":" + k));
    }
    assertThat(read).isEqualTo(declared);
  }

  /** The keys {@code build} reads from the job's defaults overridden by {@code given}. */
  private static Set<String> reads(
      OptionSet job, Map<String, String> given, Consumer<Options> build) {
    Map<String, String> values = new HashMap<>(job.load().defaults());
    values.putAll(given);
    Options options = new Options(values);
    build.accept(options);
    Set<String> read = new TreeSet<>();
    options.keysRead().forEach(k -> read.add(job.name() + ":" + k));
    return read;
  }

  @Test
  void aKeyDeclaredTwiceOrARequirementOnANonSwitchIsRefused() {
    assertThatThrownBy(
            () ->
                new OptionSet(
                    "sample",
                    "",
                    List.of(SampleConfig.Key.OUTPUT, Param.uri("output").doc("Again."))))
        .hasMessage("Cannot declare the options of sample: key output is declared twice");
    assertThatThrownBy(
            () ->
                new OptionSet(
                    "sample",
                    "",
                    List.of(Param.uri("a").requiredUnless("users"), SampleConfig.Key.USERS)))
        .hasMessageContaining("a is required unless --users, which is not a true/false option");
  }
}
