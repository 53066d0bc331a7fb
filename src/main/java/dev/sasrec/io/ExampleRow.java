package dev.sasrec.io;

import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** One example of the sequence schema, as plain arrays. */
public record ExampleRow(
    int userIndex, int session, int[] items, int[] targets, int target, int[] history)
    implements Serializable {

  /**
   * A split's rows (Preprocess's Parquet at {@code sequences}), spread over every core and kept:
   * small Parquet outputs can be a single partition, and scoring reads them every epoch.
   */
  public static JavaRDD<ExampleRow> read(SparkSession spark, Path sequences) {
    return spark
        .read()
        .parquet(sequences.toString())
        .javaRDD()
        .map(ExampleRow::of)
        .repartition(spark.sparkContext().defaultParallelism())
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  public static ExampleRow of(Row r) {
    return new ExampleRow(
        r.getInt(r.fieldIndex(SequenceSchema.USER_INDEX)),
        r.getInt(r.fieldIndex(SequenceSchema.SESSION)),
        ints(r.getList(r.fieldIndex(SequenceSchema.ITEMS))),
        ints(r.getList(r.fieldIndex(SequenceSchema.TARGETS))),
        r.getInt(r.fieldIndex(SequenceSchema.TARGET)),
        ints(r.getList(r.fieldIndex(SequenceSchema.HISTORY))));
  }

  /** A stable id of the row for seeding its random draws. */
  public long key() {
    return ((long) userIndex << 20) ^ session;
  }

  private static int[] ints(List<Integer> values) {
    int[] out = new int[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
