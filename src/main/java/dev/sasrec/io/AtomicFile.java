package dev.sasrec.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One file written atomically on any Hadoop file system: under a hidden temporary sibling name (a
 * leading {@code _}, which Hadoop's and Spark's input listings skip), then renamed into place, so a
 * reader finds the old file or the complete new one, never a part.
 *
 * <pre>
 * AtomicFile.reused(fs, path).write(out -> ...);   // a failure leaves no temporary
 * </pre>
 *
 * <p>{@link JobOutput} puts whole output directories in place the same way: the job writes the
 * temporary, then {@link #commit} renames it, or {@link #discard} deletes it.
 *
 * <p>A rename is atomic on HDFS and on local files; on object stores (s3a) it is a copy, and the
 * target can be seen half-written while it runs.
 */
public final class AtomicFile {

  /** Infix of a fresh temporary's name: {@code _<name>._temporary-<random>}. */
  public static final String TEMPORARY_INFIX = "._temporary-";

  /** Prefix of a reused temporary's name: {@code _tmp-<name>}. */
  public static final String REUSED_PREFIX = "_tmp-";

  /**
   * Infix of a replaced target's name until the new one is in place: {@code _<name>._old-<random>}.
   */
  public static final String OLD_INFIX = "._old-";

  /** What goes into the file. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private final FileSystem fs;
  private final Path temporary;
  private final Path target;

  private AtomicFile(FileSystem fs, Path temporary, Path target) {
    this.fs = Objects.requireNonNull(fs, "fs");
    this.temporary = Objects.requireNonNull(temporary, "temporary");
    this.target = Objects.requireNonNull(target, "target");
    // Beside the target: the rename stays in one directory (and on one HDFS volume).
    if (temporary.equals(target) || !Objects.equals(temporary.getParent(), target.getParent())) {
      throw new IllegalArgumentException(
          "Cannot write atomically: the temporary must be another name in the target's directory ("
              + temporary
              + " for "
              + target
              + ")");
    }
  }

  /**
   * A temporary name new for every write, {@code _<name>._temporary-<random>}: for a job's output,
   * which two runs may write at the same time.
   */
  public static AtomicFile fresh(FileSystem fs, Path target) {
    return new AtomicFile(fs, sibling(target, TEMPORARY_INFIX), target);
  }

  /**
   * The same temporary name for every write of {@code target}, {@code _tmp-<name>}: for a file one
   * writer owns (a run's checkpoints and plots), so what a killed write left is overwritten by the
   * next.
   */
  public static AtomicFile reused(FileSystem fs, Path target) {
    return new AtomicFile(
        fs, new Path(target.getParent(), REUSED_PREFIX + target.getName()), target);
  }

  /** A temporary made elsewhere (a run's staging directory) that {@link #commit} puts in place. */
  public static AtomicFile renaming(FileSystem fs, Path temporary, Path target) {
    return new AtomicFile(fs, temporary, target);
  }

  /** Where the content is until {@link #commit}. */
  public Path temporary() {
    return temporary;
  }

  public Path target() {
    return target;
  }

  /**
   * Writes {@code content} under the temporary name, then {@link #commit commits} it; a failure of
   * either deletes the temporary and rethrows.
   */
  public void write(Content content) throws IOException {
    try {
      // Overwrites a temporary that a killed write of a reused name left.
      try (OutputStream out = fs.create(temporary, true)) {
        content.writeTo(out);
      }
      commit();
    } catch (IOException | RuntimeException | Error e) {
      try {
        discard();
      } catch (IOException | RuntimeException d) {
        e.addSuppressed(d);
      }
      throw e;
    }
  }

  /**
   * Renames the complete temporary (a file or a directory) into place. An existing target is first
   * renamed aside, and deleted only once the new one is in; if the new one cannot go in, the old
   * one goes back. A failure keeps the temporary.
   */
  public void commit() throws IOException {
    // Hadoop's rename replaces no file on HDFS and no directory anywhere: the old one steps aside.
    if (!fs.exists(target)) {
      move(fs, temporary, target);
      return;
    }
    Path old = sibling(target, OLD_INFIX);
    move(fs, target, old);
    try {
      move(fs, temporary, target);
    } catch (IOException e) {
      try {
        move(fs, old, target);
      } catch (IOException restore) {
        e.addSuppressed(restore);
      }
      throw e;
    }
    delete(fs, old);
  }

  /** Deletes the temporary (a directory with what is in it), if there is one. */
  public void discard() throws IOException {
    delete(fs, temporary);
  }

  /**
   * Renames {@code from} to {@code to}, which must not exist: Hadoop's rename would move a
   * directory into an existing one, and on HDFS it refuses an existing file.
   */
  public static void move(FileSystem fs, Path from, Path to) throws IOException {
    if (fs.exists(to) || !fs.rename(from, to)) {
      throw new IOException("rename failed: " + from + " -> " + to);
    }
  }

  /** A new hidden sibling of {@code path}: {@code _<name><infix><random>}. */
  static Path sibling(Path path, String infix) {
    return new Path(path.getParent(), "_" + path.getName() + infix + UUID.randomUUID());
  }

  private static void delete(FileSystem fs, Path path) throws IOException {
    if (fs.exists(path) && !fs.delete(path, true)) {
      throw new IOException("delete failed: " + path);
    }
  }
}
