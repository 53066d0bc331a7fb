package dev.sasrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PosixLocalFileSystem} leaves files and directories with the modes Hadoop's own local file
 * system gives them, measured side by side on real files, and is what the local launcher names.
 */
class PosixLocalFileSystemTest {

  private static final String IMPL_KEY = "fs.file.impl";
  private static final String UMASK_KEY = "fs.permissions.umask-mode";
  private static final String LOCAL_PROPERTIES = "conf/spark-local.properties";
  private static final String SPARK_HADOOP_PREFIX = "spark.hadoop.";

  @TempDir Path dir;

  private FileSystem posix;

  @BeforeEach
  void fileSystem() throws IOException {
    posix = fileSystem(PosixLocalFileSystem.class.getName(), "022");
  }

  @AfterEach
  void close() throws IOException {
    posix.close();
  }

  /** A fresh instance (the cache keys by scheme, not by class) with the given umask. */
  private static FileSystem fileSystem(String impl, String umask) throws IOException {
    Configuration conf = new Configuration();
    conf.set(IMPL_KEY, impl);
    conf.set(UMASK_KEY, umask);
    return FileSystem.newInstance(URI.create("file:///"), conf);
  }

  private org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  /** The mode bits as the operating system reports them (the sticky bit included). */
  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
  }

  @Test
  void theLocalLauncherNamesItAndHadoopMakesIt() throws IOException {
    Properties local = new Properties();
    try (InputStream in = new FileInputStream(LOCAL_PROPERTIES)) {
      local.load(in);
    }
    assertThat(local.getProperty(SPARK_HADOOP_PREFIX + IMPL_KEY))
        .isEqualTo(PosixLocalFileSystem.class.getName());
    assertThat(posix).isInstanceOf(PosixLocalFileSystem.class).isInstanceOf(LocalFileSystem.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"022", "077", "002"})
  void newFilesAndDirectoriesGetHadoopsModes(String umask) throws IOException {
    try (FileSystem ours = fileSystem(PosixLocalFileSystem.class.getName(), umask);
        FileSystem theirs = fileSystem(LocalFileSystem.class.getName(), umask)) {
      writeTree(ours, dir.resolve("ours"));
      writeTree(theirs, dir.resolve("theirs"));
      for (String name : new String[] {"a", "a/b", "a/b/part-0", "a/b/.part-0.crc"}) {
        assertThat(mode(dir.resolve("ours").resolve(name)))
            .as("%s under umask %s", name, umask)
            .isEqualTo(mode(dir.resolve("theirs").resolve(name)));
      }
    }
    int umaskBits = Integer.parseInt(umask, 8);
    assertThat(mode(dir.resolve("ours/a/b/part-0"))).isEqualTo(0666 & ~umaskBits);
    assertThat(mode(dir.resolve("ours/a/b"))).isEqualTo(0777 & ~umaskBits);
  }

  /** Two directories and a file in them, as an output committer makes them. */
  private void writeTree(FileSystem fs, Path base) throws IOException {
    fs.mkdirs(hadoop(base.resolve("a/b")));
    fs.create(hadoop(base.resolve("a/b/part-0"))).close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 0400, 0640, 0501, 0123, 0777})
  void setPermissionSetsEveryBitItIsGiven(int bits) throws IOException {
    Path file = Files.createFile(dir.resolve("f"));
    posix.setPermission(hadoop(file), new FsPermission((short) bits));
    assertThat(mode(file)).isEqualTo(bits);
  }

  @Test
  void theStickyBitIsLeftToHadoop() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("shared"));
    posix.setPermission(hadoop(sub), new FsPermission((short) 01777));
    assertThat(mode(sub)).isEqualTo(01777);
  }

  @Test
  void aMissingFileFailsNamingIt() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> posix.setPermission(hadoop(missing), new FsPermission((short) 0644)))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString());
  }
}
