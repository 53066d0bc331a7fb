package dev.sasrec.io;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.io.JobOutput.IfExists;
import dev.sasrec.io.JobOutput.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JobOutput} on local files; {@link JobOutputHdfsTest} runs the same contract on HDFS. */
class JobOutputTest extends JobOutputContractTest {

  @TempDir Path dir;

  private final Configuration conf = new Configuration();
  private JobOutputContract contract;

  @Override
  JobOutputContract contract() {
    return contract;
  }

  @BeforeEach
  void newContract() throws IOException {
    contract =
        new JobOutputContract(
            FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(dir.toString()), conf);
  }

  private static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toString());
  }

  private Target dataset(Path path, IfExists ifExists) {
    return Target.dataset(hadoop(path), ifExists, JobOutputContract.Key.OVERWRITE);
  }

  @Test
  void anExistingOutputIsRefusedNamingTheOptionThatAllowsIt() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    assertThatThrownBy(() -> JobOutput.prepare(dataset(out, IfExists.REFUSE), conf))
        .hasMessageStartingWith("Cannot write output: it already exists;")
        .hasMessageContaining("pass --overwrite true to replace it")
        .hasMessageEndingWith("out)");
    Target run =
        Target.run(
            "Test",
            hadoop(out),
            IfExists.REFUSE,
            JobOutputContract.Key.RESUME,
            JobOutputContract.Key.OVERWRITE);
    assertThatThrownBy(() -> JobOutput.check(run, conf))
        .hasMessageStartingWith(
            "Cannot write run: it already exists; pass --resume true to continue it or"
                + " --overwrite true to replace it (");
  }

  @Test
  void anOutputMayNeitherContainAnInputNorLieInsideOne() throws IOException {
    Path logs = Files.createDirectories(dir.resolve("x/logs"));
    Path log = Files.writeString(logs.resolve("log.csv"), "u,i,1\n");
    Target around = dataset(dir.resolve("x"), IfExists.REPLACE).readingFrom(hadoop(log));
    assertThatThrownBy(() -> JobOutput.prepare(around, conf))
        .hasMessageStartingWith("Cannot write output: it overlaps the input ");
    org.assertj.core.api.Assertions.assertThat(log).exists();
    Target inside = dataset(logs.resolve("out"), IfExists.REPLACE).readingFrom(hadoop(logs));
    assertThatThrownBy(() -> JobOutput.check(inside, conf)).hasMessageContaining("overlaps");
    Target beside = dataset(dir.resolve("x/prep"), IfExists.REPLACE).readingFrom(hadoop(logs));
    JobOutput.check(beside, conf);
    Target prefix = dataset(dir.resolve("x/logs2"), IfExists.REPLACE).readingFrom(hadoop(logs));
    JobOutput.check(prefix, conf);
  }

  @Test
  void onlyARunCanBeContinued() {
    assertThatThrownBy(() -> dataset(dir.resolve("out"), IfExists.CONTINUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot declare output: only a staged output can be continued");
    assertThatThrownBy(
            () ->
                Target.file(
                    "sample",
                    hadoop(dir.resolve("sample.csv")),
                    IfExists.CONTINUE,
                    JobOutputContract.Key.OVERWRITE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
