package dev.sasrec.io;

import dev.sasrec.config.Refusal;
import dev.sasrec.io.JobOutput.IfExists;
import dev.sasrec.io.JobOutput.Start;
import dev.sasrec.io.JobOutput.Target;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One protocol by which a job's output gets from where the job writes it to its target path; a
 * {@link Target} declares its protocol, {@link JobOutput} runs it. Two protocols:
 *
 * <ul>
 *   <li>{@link TemporaryCommitter} (Preprocess, Recommend, GenerateSample): a fresh hidden sibling
 *       per run, deleted when the job fails.
 *   <li>{@link StagingCommitter} (TrainSASRec): one hidden staging directory per target, marked as
 *       the job's own and kept when the job fails, so a retry can continue it.
 * </ul>
 *
 * <p>{@link JobOutput} keeps what the protocols share: the checks on the target path, the state of
 * one run, and the messages of a failure.
 */
public sealed interface Committer permits TemporaryCommitter, StagingCommitter {

  /** A target on its file system, its path qualified. */
  record Destination(Target target, FileSystem fs, Path path) {

    public Destination {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(fs, "fs");
      Objects.requireNonNull(path, "path");
    }

    /**
     * Puts the complete {@code work} in place: over what is there, unless the target refuses an
     * existing output, which another job then created while this one ran.
     */
    void replaceWith(Path work) throws IOException {
      if (target.ifExists() == IfExists.REFUSE && fs.exists(path)) {
        throw new Refusal(
            "Cannot commit "
                + target.name()
                + ": another job created it while this one ran; the new output is kept in "
                + work
                + " ("
                + target.path()
                + ")");
      }
      AtomicFile.renaming(fs, work, path).commit();
    }
  }

  /** Where the job writes, and what the output starts from. */
  record Work(Path path, Start start) {

    public Work {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(start, "start");
    }
  }

  /** Whether an existing output can be continued ({@link IfExists#CONTINUE}, {@code --resume}). */
  boolean continues();

  /**
   * Refuses, without touching anything, what stands in this protocol's way at the target's place
   * ({@link JobOutput#check} checks what all protocols share first).
   */
  void check(Destination out) throws IOException;

  /** Makes the job's work directory, or names its work file; the target path is not touched. */
  Work prepare(Destination out, Configuration conf) throws IOException;

  /** Marks the complete work as such and puts it in place of the target. */
  void commit(Destination out, Work work) throws IOException;

  /** After the job failed: deletes or keeps its work, and says which in the log. */
  void abort(Destination out, Work work, Throwable cause);
}
