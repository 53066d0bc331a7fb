package dev.sasrec.io;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.Refusal;
import dev.sasrec.io.Committer.Destination;
import dev.sasrec.io.Committer.Work;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How every job claims, writes and completes its output, and what its {@code --dry-run} checks: one
 * place for the rules about an output that exists, overlaps an input, or is left incomplete.
 *
 * <pre>
 * JobOutput out = JobOutput.prepare(target, conf);   // refuses, or makes the job's work directory
 * return out.write(root -> ...);                     // the job writes under root(), then commit()
 * </pre>
 *
 * <p>Outputs are atomic: a job never writes at its target path. It writes in a hidden sibling of
 * the target (a name starting with {@code _}, which Hadoop's and Spark's input listing skip), and
 * {@link #commit} renames that sibling into place ({@link AtomicFile}), so the target path holds
 * either what was there before or the complete new output. The target's {@link Committer} says
 * which sibling and what a failure does to it:
 *
 * <ul>
 *   <li>{@link Target#dataset} and {@link Target#file} (Preprocess, Recommend, GenerateSample):
 *       {@code <parent>/_<name>._temporary-<random>}, new for every run and deleted when the job
 *       fails ({@link #abort}).
 *   <li>{@link Target#run} (TrainSASRec): {@code <parent>/_<name>.inprogress}, the same for every
 *       run of the same target, with a marker file ({@value #STAGING_MARKER}) naming the job and
 *       the target. It holds the checkpoints, so a failed run keeps it: a retry that continues
 *       ({@link IfExists#CONTINUE}, {@code --resume true}) goes on from it, or, when there is none,
 *       from a copy of the complete target; any other retry discards it and starts fresh.
 * </ul>
 *
 * <p>Replacing an output ({@code --overwrite true}) happens only at commit, when the new output is
 * complete: the old one is renamed aside ({@code <parent>/_<name>._old-<random>}), the new one
 * renamed in, then the old one deleted. Nothing else is ever deleted: not an output the job did not
 * create, not another run's temporary sibling.
 *
 * <p>A rename is atomic on HDFS and on local files; on object stores (s3a) it is a copy, and the
 * target can be seen half-written during the commit: point such jobs at a committer-backed file
 * system or write to HDFS.
 */
public final class JobOutput {

  /** The marker of a complete output, written last (Hadoop's convention). */
  public static final String SUCCESS = "_SUCCESS";

  /** In a staging directory: which job made it, for which target (JSON). */
  public static final String STAGING_MARKER = "_STAGING.json";

  /** Suffix of a staging directory's name: {@code _<name>.inprogress}. */
  public static final String STAGING_SUFFIX = ".inprogress";

  /** What may happen to an output that exists before the job starts. */
  public enum IfExists {
    /** Refuse to start, naming the options that would allow it. */
    REFUSE,
    /** Replace it with the new output once that is complete ({@code --overwrite true}). */
    REPLACE,
    /** Continue it: from the staging directory, or from a copy of the output ({@code --resume}). */
    CONTINUE;

    /** {@code --overwrite}: replace an existing output, else refuse it. */
    public static IfExists replaceWhen(boolean overwrite) {
      return overwrite ? REPLACE : REFUSE;
    }
  }

  /**
   * A job's output as it declares it.
   *
   * @param name how messages call it ("output", "run", "sample"), and part of its siblings' names
   * @param remedy the options that allow an existing output, as the refusal names them
   * @param committer the protocol that writes it and puts it in place
   * @param inputs the paths the job reads: the output may neither lie inside one nor contain one
   */
  public record Target(
      String name,
      Path path,
      IfExists ifExists,
      String remedy,
      Committer committer,
      List<Path> inputs) {

    public Target {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(committer, "committer");
      inputs = List.copyOf(inputs);
      if (ifExists == IfExists.CONTINUE && !committer.continues()) {
        throw new IllegalArgumentException(
            "Cannot declare output: only a staged output can be continued (" + path + ")");
      }
    }

    /** A directory marked complete by {@value #SUCCESS}; {@code overwrite} replaces it. */
    public static Target dataset(Path path, IfExists ifExists, OptionKey overwrite) {
      return new Target(
          "output",
          path,
          ifExists,
          overwrite.flag() + " true to replace it",
          new TemporaryCommitter(TemporaryCommitter.Shape.DATASET),
          List.of());
    }

    /**
     * TrainSASRec's run directory, trained in its staging directory: {@code resume} continues it,
     * {@code overwrite} replaces it.
     */
    public static Target run(
        String job, Path path, IfExists ifExists, OptionKey resume, OptionKey overwrite) {
      return new Target(
          "run",
          path,
          ifExists,
          resume.flag() + " true to continue it or " + overwrite.flag() + " true to replace it",
          new StagingCommitter(job, resume.flag() + " true"),
          List.of());
    }

    /** One file; {@code overwrite} replaces it. */
    public static Target file(String name, Path path, IfExists ifExists, OptionKey overwrite) {
      return new Target(
          name,
          path,
          ifExists,
          overwrite.flag() + " true to replace it",
          new TemporaryCommitter(TemporaryCommitter.Shape.FILE),
          List.of());
    }

    /** The same target, declaring the paths the job reads. */
    public Target readingFrom(Path... read) {
      List<Path> all = new ArrayList<>(inputs);
      all.addAll(List.of(read));
      return new Target(name, path, ifExists, remedy, committer, all);
    }

    /** The staging directory of a {@link #run} target: {@code _<name>.inprogress}. */
    public Path staging() {
      return StagingCommitter.stagingOf(path);
    }
  }

  /** Where a continued output starts from. */
  public enum Start {
    /** Nothing: a new output. */
    FRESH,
    /** The staging directory a failed run left. */
    STAGING,
    /** A copy of the complete output at the target path. */
    COPY_OF_TARGET
  }

  private final Destination out;
  private final Work work;
  private boolean committed;

  private JobOutput(Destination out, Work work) {
    this.out = out;
    this.work = work;
  }

  /**
   * Checks the target without touching anything ({@code --dry-run}, and the first thing {@link
   * #prepare} does): it overlaps no input, an existing one is allowed, and nothing of another run
   * or job stands in its protocol's way.
   */
  public static void check(Target target, Configuration conf) {
    try {
      Destination out = destination(target, conf);
      if (out.path().getParent() == null) {
        throw new Refusal(
            "Cannot write "
                + target.name()
                + ": it is the root of its file system; name a directory below it ("
                + target.path()
                + ")");
      }
      for (Path input : target.inputs()) {
        Path in = input.getFileSystem(conf).makeQualified(input);
        if (contains(out.path(), in) || contains(in, out.path())) {
          throw new Refusal(
              "Cannot write "
                  + target.name()
                  + ": it overlaps the input "
                  + input
                  + "; an output may neither contain an input nor lie inside one ("
                  + target.path()
                  + ")");
        }
      }
      if (target.ifExists() == IfExists.REFUSE && out.fs().exists(out.path())) {
        throw new Refusal(
            "Cannot write "
                + target.name()
                + ": it already exists; pass "
                + target.remedy()
                + " ("
                + target.path()
                + ")");
      }
      target.committer().check(out);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot check " + target.name() + ": " + e.getMessage() + " (" + target.path() + ")", e);
    }
  }

  /** Checks the target, then makes the job's work directory (nothing at the target path yet). */
  public static JobOutput prepare(Target target, Configuration conf) {
    check(target, conf);
    try {
      Destination out = destination(target, conf);
      out.fs().mkdirs(out.path().getParent());
      return new JobOutput(out, target.committer().prepare(out, conf));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot prepare " + target.name() + ": " + e.getMessage() + " (" + target.path() + ")",
          e);
    }
  }

  private static Destination destination(Target target, Configuration conf) throws IOException {
    FileSystem fs = target.path().getFileSystem(conf);
    return new Destination(target, fs, fs.makeQualified(target.path()));
  }

  /**
   * Where the output is: the work directory (or file) while the job writes, the target path once
   * committed.
   */
  public Path root() {
    return committed ? out.path() : work.path();
  }

  /** The target path, as the job was given it. */
  public Path target() {
    return out.target().path();
  }

  /** Where a continued output starts from ({@link Start#FRESH} for any other). */
  public Start start() {
    return work.start();
  }

  /**
   * Runs the job's writing under {@link #root()}, then commits; a failure aborts, then rethrows.
   */
  public <T> T write(Function<Path, T> job) {
    T result;
    try {
      result = job.apply(root());
    } catch (RuntimeException | Error e) {
      abort(e);
      throw e;
    }
    commit();
    return result;
  }

  /**
   * Marks the output complete and renames it into place; an output it replaces is deleted only once
   * the new one is at the target path. A failure here leaves the complete new output in its work
   * directory and says so.
   */
  public void commit() {
    try {
      out.target().committer().commit(out, work);
      committed = true;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot commit "
              + out.target().name()
              + ": "
              + e.getMessage()
              + "; the new output is kept in "
              + work.path()
              + " ("
              + out.target().path()
              + ")",
          e);
    }
  }

  /**
   * After a failure: a temporary work directory is deleted (the target path is as it was); a
   * staging directory is kept for a retry that continues it.
   */
  public void abort(Throwable cause) {
    out.target().committer().abort(out, work, cause);
  }

  /** Whether {@code inner} is {@code outer} or lies below it. */
  private static boolean contains(Path outer, Path inner) {
    if (!Objects.equals(outer.toUri().getScheme(), inner.toUri().getScheme())
        || !Objects.equals(outer.toUri().getAuthority(), inner.toUri().getAuthority())) {
      return false;
    }
    String o = outer.toUri().getPath();
    String i = inner.toUri().getPath();
    return i.equals(o) || i.startsWith(o.endsWith("/") ? o : o + "/");
  }
}
