package dev.sasrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.config.OptionKey;
import dev.sasrec.io.JobOutput.IfExists;
import dev.sasrec.io.JobOutput.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobOutputTest {

  enum Key implements OptionKey {
    OVERWRITE,
    RESUME
  }

  @TempDir Path dir;

  private final Configuration conf = new Configuration();

  private static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toString());
  }

  private Target dataset(Path path, IfExists ifExists) {
    return Target.dataset(hadoop(path), ifExists, Key.OVERWRITE);
  }

  @Test
  void anExistingOutputIsRefusedNamingTheOptionThatAllowsIt() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    assertThatThrownBy(() -> JobOutput.prepare(dataset(out, IfExists.REFUSE), conf))
        .hasMessageStartingWith("Cannot write output: it already exists;")
        .hasMessageContaining("pass --overwrite true to replace it")
        .hasMessageEndingWith("out)");
    Target run = Target.run(hadoop(out), IfExists.REFUSE, Key.RESUME, Key.OVERWRITE);
    assertThatThrownBy(() -> JobOutput.check(run, conf))
        .hasMessageStartingWith(
            "Cannot write run: it already exists; pass --resume true to continue it or"
                + " --overwrite true to replace it (");
  }

  @Test
  void replaceDeletesTheOldOutputAndContinueKeepsIt() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("old.txt"), "old");
    JobOutput.prepare(Target.run(hadoop(out), IfExists.CONTINUE, Key.RESUME, Key.OVERWRITE), conf);
    assertThat(out.resolve("old.txt")).exists();
    JobOutput.prepare(dataset(out, IfExists.REPLACE), conf);
    assertThat(out).isEmptyDirectory();
  }

  @Test
  void aMissingOutputIsCreatedAndCommittedWithSuccessLast() {
    Path out = dir.resolve("new");
    JobOutput output = JobOutput.prepare(dataset(out, IfExists.REFUSE), conf);
    assertThat(out).isDirectory();
    String written =
        output.write(
            root -> {
              assertThat(out.resolve(JobOutput.SUCCESS)).doesNotExist();
              return root.getName();
            });
    assertThat(written).isEqualTo("new");
    assertThat(out.resolve(JobOutput.SUCCESS)).exists();
  }

  @Test
  void aFailedWriteLeavesNoSuccessAndRethrows() {
    Path out = dir.resolve("failed");
    JobOutput output = JobOutput.prepare(dataset(out, IfExists.REFUSE), conf);
    assertThatThrownBy(
            () ->
                output.write(
                    root -> {
                      throw new IllegalStateException("Cannot go on: test");
                    }))
        .hasMessage("Cannot go on: test");
    assertThat(out.resolve(JobOutput.SUCCESS)).doesNotExist();
  }

  @Test
  void anOutputMayNeitherContainAnInputNorLieInsideOne() throws IOException {
    Path logs = Files.createDirectories(dir.resolve("x/logs"));
    Path log = Files.writeString(logs.resolve("log.csv"), "u,i,1\n");
    Target around = dataset(dir.resolve("x"), IfExists.REPLACE).readingFrom(hadoop(log));
    assertThatThrownBy(() -> JobOutput.prepare(around, conf))
        .hasMessageStartingWith("Cannot write output: it overlaps the input ");
    assertThat(log).exists();
    Target inside = dataset(logs.resolve("out"), IfExists.REPLACE).readingFrom(hadoop(logs));
    assertThatThrownBy(() -> JobOutput.check(inside, conf)).hasMessageContaining("overlaps");
    Target beside = dataset(dir.resolve("x/prep"), IfExists.REPLACE).readingFrom(hadoop(logs));
    JobOutput.check(beside, conf);
    Target prefix = dataset(dir.resolve("x/logs2"), IfExists.REPLACE).readingFrom(hadoop(logs));
    JobOutput.check(prefix, conf);
  }

  @Test
  void aFileTargetIsNotMadeADirectoryAndHasNoMarker() throws IOException {
    Path file = dir.resolve("sample.csv");
    Files.writeString(file, "old");
    Target target = Target.file("sample", hadoop(file), IfExists.REPLACE, Key.OVERWRITE);
    JobOutput output = JobOutput.prepare(target, conf);
    assertThat(file).doesNotExist();
    output.write(root -> root);
    assertThat(dir.resolve(JobOutput.SUCCESS)).doesNotExist();
    assertThat(file).doesNotExist();
  }
}
