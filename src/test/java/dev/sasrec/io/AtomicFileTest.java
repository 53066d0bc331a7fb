package dev.sasrec.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicFile} on local files: a reader finds the old file or the complete new one, and a
 * failure leaves no temporary. {@link JobOutputHdfsTest} runs its commit on HDFS through {@link
 * JobOutput}.
 */
class AtomicFileTest {

  @TempDir Path dir;

  private FileSystem fs;

  @BeforeEach
  void localFileSystem() throws IOException {
    fs = FileSystem.getLocal(new Configuration());
  }

  private org.apache.hadoop.fs.Path hadoop(String name) {
    return new org.apache.hadoop.fs.Path(dir.resolve(name).toString());
  }

  /** Names in the directory, sorted, without the local file system's checksum files. */
  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith("."))
          .sorted()
          .toList();
    }
  }

  private static AtomicFile.Content text(String text) {
    return out -> out.write(text.getBytes(UTF_8));
  }

  @Test
  void aNewFileAppearsWithNothingBesideIt() throws IOException {
    AtomicFile.reused(fs, hadoop("a.json")).write(text("new"));
    assertThat(Files.readString(dir.resolve("a.json"))).isEqualTo("new");
    assertThat(listing()).containsExactly("a.json");
  }

  @Test
  void anExistingFileIsReplacedAndTheOldOneDeleted() throws IOException {
    Files.writeString(dir.resolve("a.png"), "old");
    AtomicFile.fresh(fs, hadoop("a.png")).write(text("new"));
    assertThat(Files.readString(dir.resolve("a.png"))).isEqualTo("new");
    assertThat(listing()).containsExactly("a.png");
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndDeletesItsTemporary() throws IOException {
    Files.writeString(dir.resolve("a.zip"), "old");
    for (AtomicFile file :
        List.of(AtomicFile.reused(fs, hadoop("a.zip")), AtomicFile.fresh(fs, hadoop("a.zip")))) {
      assertThatThrownBy(
              () ->
                  file.write(
                      out -> {
                        out.write("half".getBytes(UTF_8));
                        throw new IOException("disk full");
                      }))
          .hasMessage("disk full");
      assertThatThrownBy(
              () ->
                  file.write(
                      out -> {
                        throw new UncheckedIOException(new IOException("broken"));
                      }))
          .isInstanceOf(UncheckedIOException.class);
      assertThat(Files.readString(dir.resolve("a.zip"))).isEqualTo("old");
      assertThat(listing()).containsExactly("a.zip");
    }
  }

  @Test
  void aReusedTemporaryLeftByAKilledWriteIsOverwritten() throws IOException {
    Files.writeString(dir.resolve(AtomicFile.REUSED_PREFIX + "a.json"), "a killed write's part");
    AtomicFile file = AtomicFile.reused(fs, hadoop("a.json"));
    assertThat(file.temporary().getName()).isEqualTo("_tmp-a.json");
    file.write(text("complete"));
    assertThat(Files.readString(dir.resolve("a.json"))).isEqualTo("complete");
    assertThat(listing()).containsExactly("a.json");
  }

  @Test
  void aFreshTemporaryIsNewForEveryWrite() {
    AtomicFile first = AtomicFile.fresh(fs, hadoop("sample.csv"));
    AtomicFile second = AtomicFile.fresh(fs, hadoop("sample.csv"));
    assertThat(first.temporary().getName()).startsWith("_sample.csv._temporary-");
    assertThat(first.temporary()).isNotEqualTo(second.temporary());
    assertThat(first.temporary().getParent()).isEqualTo(first.target().getParent());
  }

  @Test
  void aCommitThatCannotPutTheNewFileInPlacePutsTheOldOneBack() throws IOException {
    Files.writeString(dir.resolve("a.csv"), "old");
    AtomicFile missing = AtomicFile.renaming(fs, hadoop("_a.csv.gone"), hadoop("a.csv"));
    assertThatThrownBy(missing::commit).isInstanceOf(IOException.class);
    assertThat(Files.readString(dir.resolve("a.csv"))).isEqualTo("old");
    assertThat(listing()).containsExactly("a.csv");
  }

  @Test
  void aDirectoryIsCommittedAndDiscardedLikeAFile() throws IOException {
    Files.createDirectories(dir.resolve("out/old"));
    Files.createDirectories(dir.resolve("_out.work/new"));
    AtomicFile.renaming(fs, hadoop("_out.work"), hadoop("out")).commit();
    assertThat(dir.resolve("out/new")).isDirectory();
    assertThat(dir.resolve("out/old")).doesNotExist();
    Files.createDirectories(dir.resolve("_out.failed/part"));
    AtomicFile.renaming(fs, hadoop("_out.failed"), hadoop("out")).discard();
    assertThat(listing()).containsExactly("out");
  }

  @Test
  void moveRefusesATargetThatExists() throws IOException {
    Files.createDirectories(dir.resolve("from"));
    Files.createDirectories(dir.resolve("to"));
    assertThatThrownBy(() -> AtomicFile.move(fs, hadoop("from"), hadoop("to")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("rename failed: ");
    assertThat(dir.resolve("to/from")).doesNotExist();
  }

  @Test
  void theTemporaryMustBeAnotherNameBesideTheTarget() {
    assertThatThrownBy(() -> AtomicFile.renaming(fs, hadoop("x/_a"), hadoop("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot write atomically: ");
    assertThatThrownBy(() -> AtomicFile.renaming(fs, hadoop("a"), hadoop("a")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
