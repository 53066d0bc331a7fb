package dev.sasrec.io;

import dev.sasrec.config.Refusal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;

/**
 * A vocabulary table read on the driver without a Spark job (Recommend and its dry run read two of
 * them): Parquet rows of {@code index} (1..N) and {@code id}, and optionally a {@code category}
 * index per row. Spark-written part files are read with parquet-hadoop's example reader, which
 * skips the hidden files ({@code _SUCCESS}).
 *
 * @param ids element i is the id of index i; element 0 (padding) is null
 * @param categories element i is index i's category (0 for padding), or null when not read
 */
public record IndexedIds(Path table, String[] ids, int[] categories) {

  /** Reads {@code index} and {@code id}, and {@code categoryColumn} when not null. */
  public static IndexedIds read(Path table, String categoryColumn, Configuration conf) {
    List<Group> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), table).withConf(conf).build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        rows.add(row);
      }
    } catch (IOException | RuntimeException e) {
      throw new Refusal("Cannot read vocabulary: " + e.getMessage() + " (" + table + ")", e);
    }
    String[] ids = new String[rows.size() + 1];
    int[] categories = categoryColumn == null ? null : new int[rows.size() + 1];
    for (Group row : rows) {
      int index = row.getInteger(Vocabularies.INDEX, 0);
      if (index < 1 || index > rows.size() || ids[index] != null) {
        throw new Refusal(
            "Cannot read vocabulary: the indices are not 1.."
                + rows.size()
                + ", each once (index "
                + index
                + " in "
                + table
                + ")");
      }
      ids[index] = row.getString(Vocabularies.ID, 0);
      if (categories != null) {
        categories[index] = row.getInteger(categoryColumn, 0);
      }
    }
    return new IndexedIds(table, ids, categories);
  }

  /**
   * Writes {@code ids} (element i the id of index i, element 0 unused) as a table of {@code index}
   * and {@code id}: one Parquet file and {@code _SUCCESS}, as Spark would write it.
   */
  public static void write(Path table, String[] ids, Configuration conf) {
    MessageType schema =
        Types.buildMessage()
            .required(PrimitiveType.PrimitiveTypeName.INT32)
            .named(Vocabularies.INDEX)
            .required(PrimitiveType.PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named(Vocabularies.ID)
            .named("vocabulary");
    SimpleGroupFactory rows = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new Path(table, "part-00000.parquet"))
            .withType(schema)
            .withConf(conf)
            .build()) {
      for (int i = 1; i < ids.length; i++) {
        writer.write(rows.newGroup().append(Vocabularies.INDEX, i).append(Vocabularies.ID, ids[i]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write vocabulary: " + e.getMessage() + " (" + table + ")", e);
    }
    try {
      table.getFileSystem(conf).create(new Path(table, JobOutput.SUCCESS), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write vocabulary: " + e.getMessage() + " (" + table + ")", e);
    }
  }

  /** Indices, 1..N. */
  public int size() {
    return ids.length - 1;
  }

  /** Each id's index; refuses an id given twice. */
  public Map<String, Integer> indexOfId() {
    Map<String, Integer> index = new HashMap<>(ids.length * 2);
    for (int i = 1; i < ids.length; i++) {
      Integer before = index.put(ids[i], i);
      if (before != null) {
        throw new Refusal(
            "Cannot read vocabulary: the id '"
                + ids[i]
                + "' has two indices ("
                + before
                + " and "
                + i
                + " in "
                + table
                + ")");
      }
    }
    return index;
  }
}
