package dev.sasrec.io;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.Refusal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every job claims, writes and completes its output, and what its {@code --dry-run} checks: one
 * place for the rules about an output that exists, overlaps an input, or is left incomplete.
 *
 * <pre>
 * JobOutput out = JobOutput.prepare(target, conf);   // refuses, replaces, continues or creates
 * return out.write(root -> ...);                     // the job writes under root(), then commit()
 * </pre>
 *
 * <p>Today a job writes in place: {@link #root()} is the target path, {@link #commit()} writes the
 * completion marker, {@link #abort} reports the incomplete output and leaves it as it is (a failed
 * training run keeps its checkpoints for {@code --resume}). Atomic outputs (issue 11: write under a
 * temporary sibling, rename at commit, remove only what the job created) change this class alone:
 * the jobs already write under {@code root()} and declare their inputs.
 */
public final class JobOutput {

  private static final Logger LOG = LoggerFactory.getLogger(JobOutput.class);

  /** The marker of a complete output, written last (Hadoop's convention). */
  public static final String SUCCESS = "_SUCCESS";

  /** What may happen to an output that exists before the job starts. */
  public enum IfExists {
    /** Refuse to start, naming the options that would allow it. */
    REFUSE,
    /** Delete it, then write anew ({@code --overwrite true}). */
    REPLACE,
    /** Write into it, keeping what is there ({@code --resume true} of TrainSASRec). */
    CONTINUE;

    /** {@code --overwrite}: replace an existing output, else refuse it. */
    public static IfExists replaceWhen(boolean overwrite) {
      return overwrite ? REPLACE : REFUSE;
    }
  }

  /** A directory of tables and files, or one file. */
  public enum Shape {
    DIRECTORY,
    FILE
  }

  /** How a finished output says so. */
  public enum Completion {
    /** A {@value #SUCCESS} file in the directory, written last. */
    SUCCESS_FILE,
    /** Nothing: the output's own files tell (a run directory's results, a sample file). */
    NONE
  }

  /**
   * A job's output as it declares it.
   *
   * @param name how messages call it ("output", "run", "sample")
   * @param remedy the options that allow an existing output, as the refusal names them
   * @param inputs the paths the job reads: the output may neither lie inside one nor contain one
   */
  public record Target(
      String name,
      Path path,
      Shape shape,
      IfExists ifExists,
      String remedy,
      Completion completion,
      List<Path> inputs) {

    public Target {
      Objects.requireNonNull(path, "path");
      inputs = List.copyOf(inputs);
    }

    /** A directory marked complete by {@value #SUCCESS}; {@code overwrite} replaces it. */
    public static Target dataset(Path path, IfExists ifExists, OptionKey overwrite) {
      return new Target(
          "output",
          path,
          Shape.DIRECTORY,
          ifExists,
          overwrite.flag() + " true to replace it",
          Completion.SUCCESS_FILE,
          List.of());
    }

    /** TrainSASRec's run directory: {@code resume} continues it, {@code overwrite} replaces it. */
    public static Target run(Path path, IfExists ifExists, OptionKey resume, OptionKey overwrite) {
      return new Target(
          "run",
          path,
          Shape.DIRECTORY,
          ifExists,
          resume.flag() + " true to continue it or " + overwrite.flag() + " true to replace it",
          Completion.NONE,
          List.of());
    }

    /** One file; {@code overwrite} replaces it. */
    public static Target file(String name, Path path, IfExists ifExists, OptionKey overwrite) {
      return new Target(
          name,
          path,
          Shape.FILE,
          ifExists,
          overwrite.flag() + " true to replace it",
          Completion.NONE,
          List.of());
    }

    /** The same target, declaring the paths the job reads. */
    public Target readingFrom(Path... read) {
      List<Path> all = new ArrayList<>(inputs);
      all.addAll(List.of(read));
      return new Target(name, path, shape, ifExists, remedy, completion, all);
    }
  }

  private final Target target;
  private final FileSystem fs;

  private JobOutput(Target target, FileSystem fs) {
    this.target = target;
    this.fs = fs;
  }

  /**
   * Checks the target without touching anything ({@code --dry-run}, and the first thing {@link
   * #prepare} does): it overlaps no input, and an existing one is allowed.
   */
  public static void check(Target target, Configuration conf) {
    try {
      FileSystem fs = target.path().getFileSystem(conf);
      Path out = fs.makeQualified(target.path());
      for (Path input : target.inputs()) {
        Path in = input.getFileSystem(conf).makeQualified(input);
        if (contains(out, in) || contains(in, out)) {
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
      if (target.ifExists() == IfExists.REFUSE && fs.exists(target.path())) {
        throw new Refusal(
            "Cannot write "
                + target.name()
                + ": it already exists; pass "
                + target.remedy()
                + " ("
                + target.path()
                + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot check " + target.name() + ": " + e.getMessage() + " (" + target.path() + ")", e);
    }
  }

  /** Checks the target, then makes it ready: an existing one replaced or kept, a directory made. */
  public static JobOutput prepare(Target target, Configuration conf) {
    check(target, conf);
    try {
      FileSystem fs = target.path().getFileSystem(conf);
      if (target.ifExists() == IfExists.REPLACE && fs.exists(target.path())) {
        fs.delete(target.path(), true);
      }
      if (target.shape() == Shape.DIRECTORY) {
        fs.mkdirs(target.path());
      }
      return new JobOutput(target, fs);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot prepare " + target.name() + ": " + e.getMessage() + " (" + target.path() + ")",
          e);
    }
  }

  /** Where the job writes: its directory, or its file. */
  public Path root() {
    return target.path();
  }

  /**
   * Runs the job's writing under {@link #root()}, then commits; a failure aborts, then rethrows.
   */
  public <T> T write(Function<Path, T> work) {
    T result;
    try {
      result = work.apply(root());
    } catch (RuntimeException | Error e) {
      abort(e);
      throw e;
    }
    commit();
    return result;
  }

  /** Marks the output complete. */
  public void commit() {
    if (target.completion() == Completion.SUCCESS_FILE) {
      Path success = new Path(root(), SUCCESS);
      try {
        fs.create(success, true).close();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot write " + SUCCESS + ": " + e.getMessage() + " (" + success + ")", e);
      }
    }
  }

  /** Reports that the output is incomplete; what the job wrote stays for inspection or resume. */
  public void abort(Throwable cause) {
    LOG.warn(
        "The {} at {} is incomplete: the job failed ({})", target.name(), root(), cause.toString());
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
