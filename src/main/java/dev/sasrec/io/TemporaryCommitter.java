package dev.sasrec.io;

import dev.sasrec.io.JobOutput.Start;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of Preprocess, Recommend and GenerateSample: the job writes in {@code
 * <parent>/_<name>._temporary-<random>}, new for every run (two runs never share it), which commit
 * renames into place ({@link AtomicFile}) and a failure deletes.
 *
 * @param shape a directory marked complete by {@value JobOutput#SUCCESS}, or one file
 */
record TemporaryCommitter(Shape shape) implements Committer {

  // Under JobOutput's name, as before the protocols were split: the lines operators look for.
  private static final Logger LOG = LoggerFactory.getLogger(JobOutput.class);

  /** What the job writes in its temporary. */
  enum Shape {
    /** A directory of tables and files, with {@value JobOutput#SUCCESS} written last. */
    DATASET,
    /** One file; its own content tells that it is complete. */
    FILE
  }

  TemporaryCommitter {
    Objects.requireNonNull(shape, "shape");
  }

  @Override
  public boolean continues() {
    return false;
  }

  @Override
  public void check(Destination out) {
    // A fresh temporary is in nobody's way: nothing beyond JobOutput's checks.
  }

  @Override
  public Work prepare(Destination out, Configuration conf) throws IOException {
    Path work = AtomicFile.fresh(out.fs(), out.path()).temporary();
    if (shape == Shape.DATASET && !out.fs().mkdirs(work)) {
      throw new IOException("mkdirs failed: " + work);
    }
    return new Work(work, Start.FRESH);
  }

  @Override
  public void commit(Destination out, Work work) throws IOException {
    if (shape == Shape.DATASET) {
      out.fs().create(new Path(work.path(), JobOutput.SUCCESS), true).close();
    }
    out.replaceWith(work.path());
  }

  @Override
  public void abort(Destination out, Work work, Throwable cause) {
    try {
      AtomicFile.renaming(out.fs(), work.path(), out.path()).discard();
      LOG.warn(
          "The {} {} is unchanged: the job failed ({}); its temporary files are removed",
          out.target().name(),
          out.target().path(),
          cause.toString());
    } catch (IOException e) {
      LOG.warn(
          "The {} {} is unchanged: the job failed ({}); its temporary files could not be removed"
              + " ({}: {})",
          out.target().name(),
          out.target().path(),
          cause.toString(),
          work.path(),
          e.getMessage());
    }
  }
}
