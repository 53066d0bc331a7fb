package dev.sasrec.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
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

    /** Permission bits that {@link PosixFilePermission} can express (no setuid, setgid, sticky). */
    private static final int RWX_BITS = 0777;

    /** {@link PosixFilePermission}'s constants in the order of the mode's bits, highest first. */
    private static final PosixFilePermission[] BY_BIT = {
      PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_EXECUTE,
    };

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      int mode = permission.toShort();
      if (NativeIO.isAvailable() || (mode & ~RWX_BITS) != 0) {
        super.setPermission(p, permission);
        return;
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(mode));
      } catch (UnsupportedOperationException notPosix) {
        super.setPermission(p, permission);
      }
    }

    /** The permissions of a mode's nine low bits. */
    static Set<PosixFilePermission> posix(int mode) {
      Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
      for (int i = 0; i < BY_BIT.length; i++) {
        if ((mode & (1 << (BY_BIT.length - 1 - i))) != 0) {
          set.add(BY_BIT[i]);
        }
      }
      return set;
    }
  }
}
