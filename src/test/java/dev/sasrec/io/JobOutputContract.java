package dev.sasrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.Refusal;
import dev.sasrec.io.JobOutput.IfExists;
import dev.sasrec.io.JobOutput.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The atomic-output rules of {@link JobOutput} on one file system, run on local files ({@link
 * JobOutputTest}) and on HDFS ({@link JobOutputHdfsTest}): a target path holds what was there
 * before or the complete new output, never a part; a failure leaves no sibling behind except a
 * staging directory, which a retry continues or discards.
 */
final class JobOutputContract {

  enum Key implements OptionKey {
    OVERWRITE,
    RESUME
  }

  private final FileSystem fs;
  private final Path base;
  private final Configuration conf;

  JobOutputContract(FileSystem fs, Path base, Configuration conf) {
    this.fs = fs;
    this.base = base;
    this.conf = conf;
  }

  Target dataset(String name, IfExists ifExists) {
    return Target.dataset(new Path(base, name), ifExists, Key.OVERWRITE);
  }

  Target run(String name, IfExists ifExists) {
    return Target.run("Test", new Path(base, name), ifExists, Key.RESUME, Key.OVERWRITE);
  }

  void write(Path file, String text) {
    try (OutputStream out = fs.create(file, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(Path file) {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean exists(Path path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names in the base directory, sorted, without the local file system's checksum files. */
  List<String> listing() {
    try {
      return Arrays.stream(fs.listStatus(base))
          .map(FileStatus::getPath)
          .map(Path::getName)
          .filter(name -> !name.startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RuntimeException failure() {
    return new IllegalStateException("Cannot go on: test");
  }

  void aNewOutputAppearsOnlyWhenCommittedWithSuccessInside() {
    JobOutput output = JobOutput.prepare(dataset("new", IfExists.REFUSE), conf);
    Path target = new Path(base, "new");
    assertThat(output.root().getName()).startsWith("_new._temporary-");
    assertThat(output.root().getParent()).isEqualTo(fs.makeQualified(base));
    String written =
        output.write(
            root -> {
              write(new Path(root, "part"), "new");
              assertThat(exists(target)).as("target before commit").isFalse();
              return root.getName();
            });
    assertThat(written).startsWith("_new._temporary-");
    assertThat(read(new Path(target, "part"))).isEqualTo("new");
    assertThat(exists(new Path(target, JobOutput.SUCCESS))).isTrue();
    assertThat(output.root()).isEqualTo(fs.makeQualified(target));
    assertThat(listing()).containsExactly("new");
  }

  void aFailedJobLeavesTheTargetAsItWasAndNothingBeside() {
    JobOutput fresh = JobOutput.prepare(dataset("failed", IfExists.REFUSE), conf);
    assertThatThrownBy(
            () ->
                fresh.write(
                    root -> {
                      write(new Path(root, "part"), "half");
                      throw failure();
                    }))
        .hasMessage("Cannot go on: test");
    assertThat(listing()).isEmpty();

    Path old = new Path(base, "kept/part");
    write(old, "old");
    JobOutput replacing = JobOutput.prepare(dataset("kept", IfExists.REPLACE), conf);
    assertThatThrownBy(
            () ->
                replacing.write(
                    root -> {
                      write(new Path(root, "part"), "half");
                      throw failure();
                    }))
        .hasMessage("Cannot go on: test");
    assertThat(read(old)).isEqualTo("old");
    assertThat(listing()).containsExactly("kept");
  }

  void replacingSwapsTheOldOutputOnlyWhenTheNewIsComplete() {
    write(new Path(base, "out/old"), "old");
    JobOutput output = JobOutput.prepare(dataset("out", IfExists.REPLACE), conf);
    output.write(
        root -> {
          assertThat(read(new Path(base, "out/old")))
              .as("old output while writing")
              .isEqualTo("old");
          write(new Path(root, "new"), "new");
          return null;
        });
    assertThat(exists(new Path(base, "out/old"))).isFalse();
    assertThat(read(new Path(base, "out/new"))).isEqualTo("new");
    assertThat(listing()).containsExactly("out");
  }

  void anOutputCreatedMeanwhileIsNotReplaced() {
    JobOutput output = JobOutput.prepare(dataset("raced", IfExists.REFUSE), conf);
    assertThatThrownBy(
            () ->
                output.write(
                    root -> {
                      write(new Path(base, "raced/theirs"), "theirs");
                      return null;
                    }))
        .isInstanceOf(Refusal.class)
        .hasMessageStartingWith("Cannot commit output: another job created it while this one ran");
    assertThat(read(new Path(base, "raced/theirs"))).isEqualTo("theirs");
  }

  void aFileIsReplacedOnlyWhenTheNewOneIsComplete() {
    Path file = new Path(base, "sample.csv");
    write(file, "old");
    Target target = Target.file("sample", file, IfExists.REPLACE, Key.OVERWRITE);
    JobOutput failing = JobOutput.prepare(target, conf);
    assertThatThrownBy(
            () ->
                failing.write(
                    path -> {
                      write(path, "half");
                      throw failure();
                    }))
        .hasMessage("Cannot go on: test");
    assertThat(read(file)).isEqualTo("old");
    assertThat(listing()).containsExactly("sample.csv");
    JobOutput output = JobOutput.prepare(target, conf);
    output.write(
        path -> {
          assertThat(read(file)).isEqualTo("old");
          write(path, "new");
          return null;
        });
    assertThat(read(file)).isEqualTo("new");
    assertThat(listing()).containsExactly("sample.csv");
    assertThat(exists(new Path(base, JobOutput.SUCCESS))).isFalse();
  }

  void aFailedRunKeepsItsStagingForARetryThatContinues() {
    Path staging = new Path(base, "_run.inprogress");
    JobOutput first = JobOutput.prepare(run("run", IfExists.REFUSE), conf);
    assertThat(first.root()).isEqualTo(fs.makeQualified(staging));
    assertThat(first.start()).isEqualTo(JobOutput.Start.FRESH);
    assertThat(read(new Path(staging, JobOutput.STAGING_MARKER))).contains("\"job\":\"Test\"");
    assertThatThrownBy(
            () ->
                first.write(
                    root -> {
                      write(new Path(root, "checkpoint-1"), "epoch 1");
                      throw failure();
                    }))
        .hasMessage("Cannot go on: test");
    assertThat(exists(new Path(base, "run"))).isFalse();
    assertThat(read(new Path(staging, "checkpoint-1"))).isEqualTo("epoch 1");

    JobOutput retry = JobOutput.prepare(run("run", IfExists.CONTINUE), conf);
    assertThat(retry.start()).isEqualTo(JobOutput.Start.STAGING);
    retry.write(
        root -> {
          assertThat(read(new Path(root, "checkpoint-1"))).isEqualTo("epoch 1");
          write(new Path(root, "checkpoint-2"), "epoch 2");
          return null;
        });
    assertThat(read(new Path(base, "run/checkpoint-2"))).isEqualTo("epoch 2");
    assertThat(exists(new Path(base, "run/" + JobOutput.STAGING_MARKER))).isFalse();
    assertThat(listing()).containsExactly("run");
  }

  void aRetryThatDoesNotContinueDiscardsItsOwnStaging() {
    JobOutput first = JobOutput.prepare(run("again", IfExists.REFUSE), conf);
    write(new Path(first.root(), "checkpoint-1"), "stale");
    JobOutput second = JobOutput.prepare(run("again", IfExists.REFUSE), conf);
    assertThat(second.start()).isEqualTo(JobOutput.Start.FRESH);
    assertThat(exists(new Path(second.root(), "checkpoint-1"))).isFalse();
    assertThat(exists(new Path(second.root(), JobOutput.STAGING_MARKER))).isTrue();
  }

  void continuingACompleteRunCopiesItAndReplacesItOnlyAtCommit() {
    write(new Path(base, "done/checkpoint-1"), "epoch 1");
    JobOutput output = JobOutput.prepare(run("done", IfExists.CONTINUE), conf);
    assertThat(output.start()).isEqualTo(JobOutput.Start.COPY_OF_TARGET);
    assertThat(read(new Path(output.root(), "checkpoint-1"))).isEqualTo("epoch 1");
    write(new Path(output.root(), "checkpoint-2"), "epoch 2");
    assertThat(exists(new Path(base, "done/checkpoint-2"))).as("target before commit").isFalse();
    output.commit();
    assertThat(read(new Path(base, "done/checkpoint-1"))).isEqualTo("epoch 1");
    assertThat(read(new Path(base, "done/checkpoint-2"))).isEqualTo("epoch 2");
    assertThat(listing()).containsExactly("done");
  }

  void aStagingDirectoryOfSomethingElseIsNeverTouched() {
    Path foreign = new Path(base, "_theirs.inprogress/data");
    write(foreign, "theirs");
    assertThatThrownBy(() -> JobOutput.check(run("theirs", IfExists.REFUSE), conf))
        .isInstanceOf(Refusal.class)
        .hasMessageStartingWith("Cannot write run: ")
        .hasMessageContaining("_theirs.inprogress is in the way and was not made by Test")
        .hasMessageContaining("move or delete it");
    assertThatThrownBy(() -> JobOutput.prepare(run("theirs", IfExists.CONTINUE), conf))
        .isInstanceOf(Refusal.class);
    assertThat(read(foreign)).isEqualTo("theirs");
  }
}
