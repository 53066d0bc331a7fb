package dev.sasrec.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small JSON documents (stats, manifests) on any Hadoop file system. */
public final class JsonFiles {

  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Configuration hadoopConf;

  public JsonFiles(Configuration hadoopConf) {
    this.hadoopConf = hadoopConf;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public void write(Path path, Object value) {
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      try (OutputStream out = fs.create(path, true)) {
        mapper.writeValue(out, value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write JSON: " + e.getMessage() + " (" + path + ")", e);
    }
  }

  public <T> T read(Path path, Class<T> type) {
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      try (InputStream in = fs.open(path)) {
        return mapper.readValue(in, type);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read JSON: " + e.getMessage() + " (" + path + ")", e);
    }
  }
}
