package dev.sasrec.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.preprocess.PreprocessConfig;
import dev.sasrec.recommend.RecommendConfig;
import dev.sasrec.sample.SampleConfig;
import dev.sasrec.train.TrainConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * conf/*.properties are the declarations rendered: every key, default and line of documentation,
 * both ways. With {@code -Dsasrec.writeConf=true} (submit/write-conf) the test writes the files
 * instead of comparing them.
 */
public class ConfFilesTest {

  /** The options of every job. */
  public static final List<OptionSet> JOBS =
      List.of(
          PreprocessConfig.OPTIONS,
          TrainConfig.OPTIONS,
          RecommendConfig.OPTIONS,
          SampleConfig.OPTIONS);

  @Test
  void eachDefaultsFileIsItsJobsDeclarationsRendered() throws IOException {
    boolean write = Boolean.getBoolean("sasrec.writeConf");
    for (OptionSet job : JOBS) {
      Path file = Path.of("conf", job.name() + ".properties");
      if (write) {
        Files.writeString(file, job.render(), StandardCharsets.UTF_8);
      }
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .as("%s: run submit/write-conf after changing a declaration", file)
          .isEqualTo(job.render());
    }
  }

  @Test
  void theRenderedFileCarriesEveryDeclarationsDefaultAndRequirement() {
    String text = TrainConfig.OPTIONS.render();
    assertThat(text)
        .contains("\nepochs = 20\n")
        .contains("# Required unless --summary.\ninput =\n")
        .contains("# Required with --summary.\nitems =\n");
    assertThat(text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()))
        .hasSize(TrainConfig.OPTIONS.params().size());
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
  }
}
