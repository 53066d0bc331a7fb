package dev.sasrec.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sasrec.config.OptionKey;
import dev.sasrec.config.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * {@link #commit} renames that sibling into place, so the target path holds either what was there
 * before or the complete new output. Two kinds of work directory ({@link Workspace}):
 *
 * <ul>
 *   <li>{@link Workspace#TEMPORARY} (Preprocess, Recommend, GenerateSample): {@code
 *       <parent>/_<name>._temporary-<random>}, new for every run and deleted when the job fails
 *       ({@link #abort}).
 *   <li>{@link Workspace#STAGING} (TrainSASRec): {@code <parent>/_<name>.inprogress}, the same for
 *       every run of the same target, with a marker file ({@value #STAGING_MARKER}) naming the job
 *       and the target. It holds the checkpoints, so a failed run keeps it: a retry that continues
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

  private static final Logger LOG = LoggerFactory.getLogger(JobOutput.class);

  /** The marker of a complete output, written last (Hadoop's convention). */
  public static final String SUCCESS = "_SUCCESS";

  /** In a staging directory: which job made it, for which target (JSON). */
  public static final String STAGING_MARKER = "_STAGING.json";

  /** Suffix of a staging directory's name: {@code _<name>.inprogress}. */
  public static final String STAGING_SUFFIX = ".inprogress";

  /** Infix of a temporary sibling's name: {@code _<name>._temporary-<random>}. */
  public static final String TEMPORARY_INFIX = "._temporary-";

  /** Infix of a replaced output, renamed aside until the new one is in place. */
  public static final String OLD_INFIX = "._old-";

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

  /** Where a job writes until it commits. */
  public enum Workspace {
    /** A fresh hidden sibling per run, deleted when the job fails. */
    TEMPORARY,
    /** One hidden sibling per target, marked as the job's own, kept when the job fails. */
    STAGING
  }

  /**
   * A job's output as it declares it.
   *
   * @param name how messages call it ("output", "run", "sample"), and part of its siblings' names
   * @param remedy the options that allow an existing output, as the refusal names them
   * @param job the job that writes it, as a staging marker names it
   * @param retry how to continue a failed run from its staging directory ("" for none)
   * @param inputs the paths the job reads: the output may neither lie inside one nor contain one
   */
  public record Target(
      String name,
      Path path,
      Shape shape,
      IfExists ifExists,
      String remedy,
      Completion completion,
      Workspace workspace,
      String job,
      String retry,
      List<Path> inputs) {

    public Target {
      Objects.requireNonNull(path, "path");
      inputs = List.copyOf(inputs);
      if (ifExists == IfExists.CONTINUE && workspace != Workspace.STAGING) {
        throw new IllegalArgumentException(
            "Cannot declare output: only a staged output can be continued (" + path + ")");
      }
    }

    /** A directory marked complete by {@value #SUCCESS}; {@code overwrite} replaces it. */
    public static Target dataset(String job, Path path, IfExists ifExists, OptionKey overwrite) {
      return new Target(
          "output",
          path,
          Shape.DIRECTORY,
          ifExists,
          overwrite.flag() + " true to replace it",
          Completion.SUCCESS_FILE,
          Workspace.TEMPORARY,
          job,
          "",
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
          Shape.DIRECTORY,
          ifExists,
          resume.flag() + " true to continue it or " + overwrite.flag() + " true to replace it",
          Completion.NONE,
          Workspace.STAGING,
          job,
          resume.flag() + " true",
          List.of());
    }

    /** One file; {@code overwrite} replaces it. */
    public static Target file(
        String job, String name, Path path, IfExists ifExists, OptionKey overwrite) {
      return new Target(
          name,
          path,
          Shape.FILE,
          ifExists,
          overwrite.flag() + " true to replace it",
          Completion.NONE,
          Workspace.TEMPORARY,
          job,
          "",
          List.of());
    }

    /** The same target, declaring the paths the job reads. */
    public Target readingFrom(Path... read) {
      List<Path> all = new ArrayList<>(inputs);
      all.addAll(List.of(read));
      return new Target(
          name, path, shape, ifExists, remedy, completion, workspace, job, retry, all);
    }

    /** The staging directory of a {@link Workspace#STAGING} target: {@code _<name>.inprogress}. */
    public Path staging() {
      return stagingOf(path);
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

  private final Target target;
  private final FileSystem fs;
  private final Path qualifiedTarget;
  private final Path work;
  private final Start start;
  private boolean committed;

  private JobOutput(Target target, FileSystem fs, Path qualifiedTarget, Path work, Start start) {
    this.target = target;
    this.fs = fs;
    this.qualifiedTarget = qualifiedTarget;
    this.work = work;
    this.start = start;
  }

  /**
   * Checks the target without touching anything ({@code --dry-run}, and the first thing {@link
   * #prepare} does): it overlaps no input, an existing one is allowed, and a staging directory at
   * its place is the job's own.
   */
  public static void check(Target target, Configuration conf) {
    try {
      FileSystem fs = target.path().getFileSystem(conf);
      Path out = fs.makeQualified(target.path());
      if (out.getParent() == null) {
        throw new Refusal(
            "Cannot write "
                + target.name()
                + ": it is the root of its file system; name a directory below it ("
                + target.path()
                + ")");
      }
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
      if (target.ifExists() == IfExists.REFUSE && fs.exists(out)) {
        throw new Refusal(
            "Cannot write "
                + target.name()
                + ": it already exists; pass "
                + target.remedy()
                + " ("
                + target.path()
                + ")");
      }
      Path staging = stagingOf(out);
      if (target.workspace() == Workspace.STAGING && fs.exists(staging)) {
        requireOwnStaging(fs, staging, target, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot check " + target.name() + ": " + e.getMessage() + " (" + target.path() + ")", e);
    }
  }

  /** Checks the target, then makes the job's work directory (nothing at the target path yet). */
  public static JobOutput prepare(Target target, Configuration conf) {
    check(target, conf);
    try {
      FileSystem fs = target.path().getFileSystem(conf);
      Path out = fs.makeQualified(target.path());
      fs.mkdirs(out.getParent());
      if (target.workspace() == Workspace.TEMPORARY) {
        Path work = sibling(out, TEMPORARY_INFIX);
        if (target.shape() == Shape.DIRECTORY && !fs.mkdirs(work)) {
          throw new IOException("mkdirs failed: " + work);
        }
        return new JobOutput(target, fs, out, work, Start.FRESH);
      }
      return prepareStaging(target, fs, out, conf);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot prepare " + target.name() + ": " + e.getMessage() + " (" + target.path() + ")",
          e);
    }
  }

  private static JobOutput prepareStaging(
      Target target, FileSystem fs, Path out, Configuration conf) throws IOException {
    Path staging = stagingOf(out);
    boolean continues = target.ifExists() == IfExists.CONTINUE;
    if (fs.exists(staging)) {
      if (continues) {
        LOG.info("Continuing the {} staged in {} (left by an earlier run)", target.name(), staging);
        return new JobOutput(target, fs, out, staging, Start.STAGING);
      }
      LOG.warn(
          "Discarding the {} staged in {} by an earlier run (pass {} to continue it instead)",
          target.name(),
          staging,
          target.retry());
      delete(fs, staging);
    }
    if (continues && fs.exists(out)) {
      // Copied beside, marked, then renamed: a copy cut short is never taken for a staging dir.
      Path copy = sibling(out, TEMPORARY_INFIX);
      copyReadable(fs, out, copy, conf);
      writeMarker(fs, copy, target, out);
      rename(fs, copy, staging);
      LOG.info("Continuing the complete {} {} in {}", target.name(), out, staging);
      return new JobOutput(target, fs, out, staging, Start.COPY_OF_TARGET);
    }
    writeMarker(fs, staging, target, out);
    return new JobOutput(target, fs, out, staging, Start.FRESH);
  }

  /**
   * Where the output is: the work directory (or file) while the job writes, the target path once
   * committed.
   */
  public Path root() {
    return committed ? qualifiedTarget : work;
  }

  /** The target path, as the job was given it. */
  public Path target() {
    return target.path();
  }

  /** Where a continued output starts from ({@link Start#FRESH} for any other). */
  public Start start() {
    return start;
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

  /**
   * Marks the output complete and renames it into place; an output it replaces is deleted only once
   * the new one is at the target path. A failure here leaves the complete new output in its work
   * directory and says so.
   */
  public void commit() {
    try {
      if (target.completion() == Completion.SUCCESS_FILE) {
        fs.create(new Path(work, SUCCESS), true).close();
      }
      if (fs.exists(qualifiedTarget)) {
        if (target.ifExists() == IfExists.REFUSE) {
          throw new Refusal(
              "Cannot commit "
                  + target.name()
                  + ": another job created it while this one ran; the new output is kept in "
                  + work
                  + " ("
                  + target.path()
                  + ")");
        }
        Path old = sibling(qualifiedTarget, OLD_INFIX);
        rename(fs, qualifiedTarget, old);
        try {
          rename(fs, work, qualifiedTarget);
        } catch (IOException e) {
          rename(fs, old, qualifiedTarget);
          throw e;
        }
        delete(fs, old);
      } else {
        rename(fs, work, qualifiedTarget);
      }
      if (target.workspace() == Workspace.STAGING) {
        fs.delete(new Path(qualifiedTarget, STAGING_MARKER), false);
      }
      committed = true;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot commit "
              + target.name()
              + ": "
              + e.getMessage()
              + "; the new output is kept in "
              + work
              + " ("
              + target.path()
              + ")",
          e);
    }
  }

  /**
   * After a failure: a temporary work directory is deleted (the target path is as it was); a
   * staging directory is kept for a retry that continues it.
   */
  public void abort(Throwable cause) {
    if (target.workspace() == Workspace.STAGING) {
      LOG.warn(
          "The {} {} is unchanged: the job failed ({}); what it wrote is kept in {} for a retry"
              + " with {}",
          target.name(),
          target.path(),
          cause.toString(),
          work,
          target.retry());
      return;
    }
    try {
      delete(fs, work);
      LOG.warn(
          "The {} {} is unchanged: the job failed ({}); its temporary files are removed",
          target.name(),
          target.path(),
          cause.toString());
    } catch (IOException e) {
      LOG.warn(
          "The {} {} is unchanged: the job failed ({}); its temporary files could not be removed"
              + " ({}: {})",
          target.name(),
          target.path(),
          cause.toString(),
          work,
          e.getMessage());
    }
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

  /**
   * Copies a directory tree, leaving out (with a warning) files that cannot be read: a checkpoint
   * that cannot be read is skipped on resume anyway, and the other files of a run are rewritten.
   */
  private static void copyReadable(FileSystem fs, Path from, Path to, Configuration conf)
      throws IOException {
    fs.mkdirs(to);
    for (FileStatus s : fs.listStatus(from)) {
      Path next = new Path(to, s.getPath().getName());
      if (s.isDirectory()) {
        copyReadable(fs, s.getPath(), next, conf);
        continue;
      }
      try {
        if (!FileUtil.copy(fs, s.getPath(), fs, next, false, conf)) {
          throw new IOException("copy failed: " + s.getPath() + " -> " + next);
        }
      } catch (IOException e) {
        fs.delete(next, false);
        LOG.warn("Leaving {} out of the copy: it cannot be read ({})", s.getPath(), e.getMessage());
      }
    }
  }

  /** The staging directory of {@code path}: {@code _<name>.inprogress} beside it. */
  private static Path stagingOf(Path path) {
    return new Path(path.getParent(), "_" + path.getName() + STAGING_SUFFIX);
  }

  /** A new hidden sibling of {@code path}: {@code _<name><infix><random>}. */
  private static Path sibling(Path path, String infix) {
    return new Path(path.getParent(), "_" + path.getName() + infix + UUID.randomUUID());
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    // Hadoop's rename moves a directory into an existing one: the caller made sure `to` is free.
    if (fs.exists(to) || !fs.rename(from, to)) {
      throw new IOException("rename failed: " + from + " -> " + to);
    }
  }

  private static void delete(FileSystem fs, Path path) throws IOException {
    if (fs.exists(path) && !fs.delete(path, true)) {
      throw new IOException("delete failed: " + path);
    }
  }

  private static Map<String, String> marker(Target target, Path qualifiedTarget) {
    Map<String, String> marker = new LinkedHashMap<>();
    marker.put("job", target.job());
    marker.put("target", qualifiedTarget.toString());
    return marker;
  }

  private static void writeMarker(FileSystem fs, Path dir, Target target, Path qualifiedTarget)
      throws IOException {
    // One create (parents included): a staging directory exists only with its marker.
    try (OutputStream out = fs.create(new Path(dir, STAGING_MARKER), true)) {
      new ObjectMapper().writeValue(out, marker(target, qualifiedTarget));
    }
  }

  /** Refuses a staging directory that another job, or a run of another target, made. */
  private static void requireOwnStaging(
      FileSystem fs, Path staging, Target target, Path qualifiedTarget) throws IOException {
    Path markerFile = new Path(staging, STAGING_MARKER);
    Object found = "no " + STAGING_MARKER;
    if (fs.exists(markerFile)) {
      try (InputStream in = fs.open(markerFile)) {
        found = new ObjectMapper().readValue(in, Map.class);
      } catch (IOException e) {
        found = "an unreadable " + STAGING_MARKER;
      }
    }
    if (!marker(target, qualifiedTarget).equals(found)) {
      throw new Refusal(
          "Cannot write "
              + target.name()
              + ": "
              + staging
              + " is in the way and was not made by "
              + target.job()
              + " for this "
              + target.name()
              + " (it has "
              + found
              + "); move or delete it ("
              + target.path()
              + ")");
    }
  }
}
