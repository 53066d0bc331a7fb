package dev.sasrec.data;

import dev.sasrec.config.Refusal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The column names of a delimited text input, from the first line of its first data file. Read
 * directly through Hadoop's FileSystem (compressed files included) rather than by a Spark job,
 * which costs seconds on a cold JVM.
 */
public final class TextHeader {

  private TextHeader() {}

  /**
   * The header of the input's data files, which must all be the same: Spark reads every file of a
   * directory with the first file's columns, so a file with another column order would swap users
   * and items silently. One first-line read per file.
   */
  public static List<String> read(String uri, String delimiter, Configuration conf) {
    Path path = new Path(uri);
    try {
      FileSystem fs = path.getFileSystem(conf);
      List<Path> files = dataFiles(fs, path);
      List<String> names = header(fs, files.get(0), delimiter, conf);
      for (Path file : files.subList(1, files.size())) {
        List<String> other = header(fs, file, delimiter, conf);
        if (!other.equals(names)) {
          throw new Refusal(
              "Cannot read input: the files' headers differ, "
                  + file
                  + " has "
                  + String.join(",", other)
                  + " where "
                  + files.get(0).getName()
                  + " has "
                  + String.join(",", names)
                  + "; give every file the same columns in the same order");
        }
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read input: " + e.getMessage() + " (" + uri + ")", e);
    }
  }

  private static List<String> header(FileSystem fs, Path file, String delimiter, Configuration conf)
      throws IOException {
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
    try (InputStream raw = fs.open(file);
        InputStream in = codec == null ? raw : codec.createInputStream(raw);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line = reader.readLine();
      if (line == null || line.isBlank()) {
        throw new Refusal("Cannot read input: the header line is empty (" + file + ")");
      }
      List<String> names = new ArrayList<>();
      for (String field : line.split(Pattern.quote(delimiter), -1)) {
        names.add(unquote(field.trim()));
      }
      return names;
    }
  }

  /**
   * The file itself, or a directory's data files by name (Spark's _SUCCESS and hidden files out).
   */
  private static List<Path> dataFiles(FileSystem fs, Path path) throws IOException {
    FileStatus status = fs.getFileStatus(path);
    if (!status.isDirectory()) {
      return List.of(path);
    }
    List<Path> files =
        Arrays.stream(fs.listStatus(path))
            .filter(FileStatus::isFile)
            .map(FileStatus::getPath)
            .filter(p -> !p.getName().startsWith("_") && !p.getName().startsWith("."))
            .sorted(Comparator.comparing(Path::getName))
            .toList();
    if (files.isEmpty()) {
      throw new IllegalArgumentException("Cannot read input: no data files in " + path);
    }
    return files;
  }

  private static String unquote(String field) {
    if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
      return field.substring(1, field.length() - 1);
    }
    return field;
  }
}
