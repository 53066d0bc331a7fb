package dev.sasrec.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's local file system ({@code file:}, checksummed as {@link LocalFileSystem} is) setting
 * permissions through {@code java.nio} instead of a process.
 *
 * <p>Why: without Hadoop's native library, {@link RawLocalFileSystem#setPermission} runs {@code
 * chmod} in a child process for every file and directory it creates; a Preprocess of ML-1M started
 * 125 of them, about 8 ms each (docs/performance.md, "What a local run spent outside its data").
 * With the native library, or for a mode {@code java.nio} cannot set (the sticky bit), or on a file
 * store without POSIX permissions, it does what Hadoop does.
 *
 * <p>The local launcher names it as {@code spark.hadoop.fs.file.impl}
 * (conf/spark-local.properties); cluster runs keep Hadoop's class.
 */
public final class PosixLocalFileSystem extends LocalFileSystem {

  public PosixLocalFileSystem() {
    super(new Raw());
  }

  /** The unchecksummed file system underneath, with the cheaper {@link #setPermission}. */
  static final class Raw extends RawLocalFileSystem {

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (NativeIO.isAvailable() || permission.getStickyBit()) {
        super.setPermission(p, permission);
        return;
      }
      try {
        // Without the sticky bit, Hadoop's symbolic form ("rwxr-x---") is the JDK's.
        Files.setPosixFilePermissions(
            pathToFile(p).toPath(), PosixFilePermissions.fromString(permission.toString()));
      } catch (UnsupportedOperationException notPosix) {
        super.setPermission(p, permission);
      }
    }
  }
}
