package dev.sasrec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.OptionSet;
import dev.sasrec.config.OptionTable;
import dev.sasrec.config.Options;
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
 * conf/*.properties and the code agree: every key of a file is declared by the job's key enums and
 * read when the job builds its configuration, and every key the code reads is in the file.
 */
class OptionKeysTest {

  private static final List<OptionSet> JOBS =
      List.of(
          PreprocessConfig.OPTIONS,
          TrainConfig.OPTIONS,
          RecommendConfig.OPTIONS,
          SampleConfig.OPTIONS);

  @Test
  void eachFileHasExactlyTheDeclaredKeys() {
    for (OptionSet job : JOBS) {
      Set<String> inFile = new TreeSet<>(OptionTable.load(job.name()).defaults().keySet());
      assertThat(new TreeSet<>(job.keyNames())).as(job.name()).isEqualTo(inFile);
      assertThat(job.load().all()).as(job.name()).hasSize(inFile.size());
    }
  }

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
    for (OptionSet job : JOBS) {
      job.keyNames().forEach(k -> declared.add(job.name() + ":" + k));
    }
    assertThat(read).isEqualTo(declared);
  }

  /** The keys {@code build} reads from the job's defaults overridden by {@code given}. */
  private static Set<String> reads(
      OptionSet job, Map<String, String> given, Consumer<Options> build) {
    Map<String, String> values = new HashMap<>(OptionTable.load(job.name()).defaults());
    values.putAll(given);
    Options options = new Options(values);
    build.accept(options);
    Set<String> read = new TreeSet<>();
    options.keysRead().forEach(k -> read.add(job.name() + ":" + k));
    return read;
  }

  enum Undocumented implements OptionKey {
    COLOUR
  }

  @Test
  void aFileAndCodeThatDisagreeAreRefusedWhenLoaded() {
    OptionSet extra = OptionSet.of("sample", SampleConfig.Key.values(), Undocumented.values());
    assertThatThrownBy(extra::load)
        .hasMessageStartingWith("Cannot load the options of sample")
        .hasMessageContaining("read but not in the file: [colour]");
    OptionSet fewer = new OptionSet("sample", List.of(SampleConfig.Key.OUTPUT));
    assertThatThrownBy(fewer::load).hasMessageContaining("in the file but never read: [users,");
  }
}
