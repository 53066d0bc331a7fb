package dev.sasrec.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sasrec.config.Refusal;
import dev.sasrec.io.JobOutput.IfExists;
import dev.sasrec.io.JobOutput.Start;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TrainSASRec's protocol: the job writes in {@code <parent>/_<name>.inprogress}, the same for every
 * run of the same target, with a marker file ({@value JobOutput#STAGING_MARKER}) naming the job and
 * the target. It holds the checkpoints, so a failed run keeps it: a retry that continues ({@link
 * IfExists#CONTINUE}) goes on from it, or, when there is none, from a copy of the complete target;
 * any other retry discards it and starts fresh.
 *
 * @param job the job that writes the output, as the marker names it
 * @param retry how to continue a failed run from its staging directory, e.g. "--resume true"
 */
record StagingCommitter(String job, String retry) implements Committer {

  // Under JobOutput's name, as before the protocols were split: the lines operators look for.
  private static final Logger LOG = LoggerFactory.getLogger(JobOutput.class);

  StagingCommitter {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(retry, "retry");
  }

  /** The staging directory of {@code path}: {@code _<name>.inprogress} beside it. */
  static Path stagingOf(Path path) {
    return new Path(path.getParent(), "_" + path.getName() + JobOutput.STAGING_SUFFIX);
  }

  @Override
  public boolean continues() {
    return true;
  }

  @Override
  public void check(Destination out) throws IOException {
    Path staging = stagingOf(out.path());
    if (out.fs().exists(staging)) {
      requireOwnStaging(out, staging);
    }
  }

  @Override
  public Work prepare(Destination out, Configuration conf) throws IOException {
    FileSystem fs = out.fs();
    String name = out.target().name();
    Path staging = stagingOf(out.path());
    boolean continues = out.target().ifExists() == IfExists.CONTINUE;
    if (fs.exists(staging)) {
      if (continues) {
        LOG.info("Continuing the {} staged in {} (left by an earlier run)", name, staging);
        return new Work(staging, Start.STAGING);
      }
      LOG.warn(
          "Discarding the {} staged in {} by an earlier run (pass {} to continue it instead)",
          name,
          staging,
          retry);
      AtomicFile.renaming(fs, staging, out.path()).discard();
    }
    if (continues && fs.exists(out.path())) {
      copyIntoStaging(out, staging, conf);
      LOG.info("Continuing the complete {} {} in {}", name, out.path(), staging);
      return new Work(staging, Start.COPY_OF_TARGET);
    }
    writeMarker(out, staging);
    return new Work(staging, Start.FRESH);
  }

  @Override
  public void commit(Destination out, Work work) throws IOException {
    out.replaceWith(work.path());
    out.fs().delete(new Path(out.path(), JobOutput.STAGING_MARKER), false);
  }

  @Override
  public void abort(Destination out, Work work, Throwable cause) {
    LOG.warn(
        "The {} {} is unchanged: the job failed ({}); what it wrote is kept in {} for a retry"
            + " with {}",
        out.target().name(),
        out.target().path(),
        cause.toString(),
        work.path(),
        retry);
  }

  /**
   * Copies the complete target beside it, marks the copy, then renames it to the staging directory:
   * a copy cut short is never taken for a staging directory, and is deleted.
   */
  private void copyIntoStaging(Destination out, Path staging, Configuration conf)
      throws IOException {
    AtomicFile copy =
        AtomicFile.renaming(
            out.fs(), AtomicFile.sibling(out.path(), AtomicFile.TEMPORARY_INFIX), staging);
    try {
      copyReadable(out.fs(), out.path(), copy.temporary(), conf);
      writeMarker(out, copy.temporary());
      AtomicFile.move(out.fs(), copy.temporary(), staging);
    } catch (IOException | RuntimeException e) {
      try {
        copy.discard();
      } catch (IOException d) {
        e.addSuppressed(d);
      }
      throw e;
    }
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

  private Map<String, String> marker(Destination out) {
    Map<String, String> marker = new LinkedHashMap<>();
    marker.put("job", job);
    marker.put("target", out.path().toString());
    return marker;
  }

  private void writeMarker(Destination out, Path dir) throws IOException {
    // One create (parents included): a staging directory exists only with its marker.
    try (OutputStream stream = out.fs().create(new Path(dir, JobOutput.STAGING_MARKER), true)) {
      new ObjectMapper().writeValue(stream, marker(out));
    }
  }

  /** Refuses a staging directory that another job, or a run of another target, made. */
  private void requireOwnStaging(Destination out, Path staging) throws IOException {
    Path markerFile = new Path(staging, JobOutput.STAGING_MARKER);
    Object found = "no " + JobOutput.STAGING_MARKER;
    if (out.fs().exists(markerFile)) {
      try (InputStream in = out.fs().open(markerFile)) {
        found = new ObjectMapper().readValue(in, Map.class);
      } catch (IOException e) {
        found = "an unreadable " + JobOutput.STAGING_MARKER;
      }
    }
    if (!marker(out).equals(found)) {
      String name = out.target().name();
      throw new Refusal(
          "Cannot write "
              + name
              + ": "
              + staging
              + " is in the way and was not made by "
              + job
              + " for this "
              + name
              + " (it has "
              + found
              + "); move or delete it ("
              + out.target().path()
              + ")");
    }
  }
}
