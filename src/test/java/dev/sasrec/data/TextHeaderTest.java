package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.config.Refusal;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextHeaderTest {

  @TempDir Path dir;

  @Test
  void readsTheFirstDataFileOfADirectoryThroughItsCodec() throws Exception {
    Files.writeString(dir.resolve("_SUCCESS"), "");
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("part-0.csv.gz")))) {
      out.write("\"user\";item;time\nu;i;1\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(TextHeader.read(dir.toString(), ";", new Configuration()))
        .containsExactly("user", "item", "time");
  }

  @Test
  void aPlainFile() throws Exception {
    Path file = dir.resolve("log.tsv");
    Files.writeString(file, "a\tb\n1\t2\n");
    assertThat(TextHeader.read(file.toString(), "\t", new Configuration()))
        .containsExactly("a", "b");
  }

  @Test
  void filesOfOneInputWithTheSameHeaderAreOneInput() throws Exception {
    Files.writeString(dir.resolve("a.csv"), "user_id,item_id,timestamp\nu,i,1\n");
    Files.writeString(dir.resolve("b.csv"), "user_id,item_id,timestamp\nv,j,2\n");
    assertThat(TextHeader.read(dir.toString(), ",", new Configuration()))
        .containsExactly("user_id", "item_id", "timestamp");
  }

  @Test
  void aFileWhoseColumnsComeInAnotherOrderIsRefusedByName() throws Exception {
    Files.writeString(dir.resolve("a.csv"), "user_id,item_id,timestamp\nu,i,1\n");
    Files.writeString(dir.resolve("b.csv"), "item_id,user_id,timestamp\nj,v,2\n");
    assertThatThrownBy(() -> TextHeader.read(dir.toString(), ",", new Configuration()))
        .isInstanceOf(Refusal.class)
        .hasMessageStartingWith("Cannot read input: the files' headers differ")
        .hasMessageContaining("b.csv has item_id,user_id,timestamp")
        .hasMessageContaining("a.csv has user_id,item_id,timestamp");
  }
}
