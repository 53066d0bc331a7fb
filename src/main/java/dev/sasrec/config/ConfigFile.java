package dev.sasrec.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A properties file given with {@code --config URI} (any Hadoop URI): its values replace the
 * defaults of {@code conf/<job>.properties}, and the command line replaces both.
 */
public final class ConfigFile {

  private ConfigFile() {}

  /** The file's values, each key checked to be one of the job's options. */
  public static Map<String, String> read(String uri, OptionTable table) {
    Properties props = new Properties();
    Path path = new Path(uri);
    // The FileSystem instance is cached and shared by Hadoop: close the stream only.
    try (InputStream in = path.getFileSystem(new Configuration()).open(path)) {
      props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UsageException("Cannot read --config file: " + e.getMessage() + " (" + uri + ")");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : props.stringPropertyNames()) {
      if (!table.has(key)) {
        throw new UsageException(
            "Cannot read --config file: unknown key " + key + " (" + uri + ")");
      }
      values.put(key, props.getProperty(key).trim());
    }
    return values;
  }
}
