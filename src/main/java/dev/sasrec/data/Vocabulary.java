package dev.sasrec.data;

import static org.apache.spark.sql.functions.col;

import dev.sasrec.config.Refusal;
import dev.sasrec.io.Vocabularies;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Dense ids: the most frequent raw id gets index 1, ties broken by raw id (numerically when it is a
 * number, then as text); 0 is reserved for padding. Columns: {@link Vocabularies#SCHEMA}.
 */
public final class Vocabulary {

  /** Indices travel through DL4J as float32, exact only up to 2^24. */
  public static final long FLOAT32_EXACT_LIMIT = 1L << 24;

  private final SparkSession spark;
  private final long maxSize;

  /** {@code maxSize}: the most distinct ids allowed (indices 1..maxSize). */
  public Vocabulary(SparkSession spark, long maxSize) {
    this.spark = spark;
    this.maxSize = maxSize;
  }

  /** The largest vocabulary whose indices stay below 2^24. */
  public static Vocabulary float32Exact(SparkSession spark) {
    return new Vocabulary(spark, FLOAT32_EXACT_LIMIT - 1);
  }

  /**
   * Builds the vocabulary of {@code column} over {@code events}. {@code what} names the ids in
   * errors ("item", "user").
   */
  public Dataset<Row> build(Dataset<Row> events, String column, String what) {
    Dataset<Row> counts = events.groupBy(column).count();
    JavaRDD<Row> indexed =
        counts
            .orderBy(
                col(Vocabularies.COUNT).desc(),
                col(column).cast(DataTypes.LongType).asc_nulls_last(),
                col(column).asc())
            .javaRDD()
            .zipWithIndex()
            .map(
                t -> RowFactory.create((int) (t._2() + 1), t._1().getString(0), t._1().getLong(1)));
    // Cached and counted once: the caller writes and counts it again without recomputing.
    Dataset<Row> vocabulary =
        spark.createDataFrame(indexed, Vocabularies.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
    long distinct = vocabulary.count();
    if (distinct > maxSize) {
      vocabulary.unpersist();
      throw new Refusal(
          "Cannot remap "
              + what
              + " ids: "
              + distinct
              + " distinct ids exceed the limit of "
              + maxSize
              + " (indices travel as float32 in DL4J and are exact only below 2^24; filter"
              + " rare "
              + what
              + "s with the min-count options)");
    }
    return vocabulary;
  }

  /** Adds the index of {@code column} to {@code events}, named {@code indexColumn}. */
  public static Dataset<Row> encode(
      Dataset<Row> events, Dataset<Row> vocabulary, String column, String indexColumn) {
    Dataset<Row> lookup =
        vocabulary.select(col(Vocabularies.ID).as(column), col(Vocabularies.INDEX).as(indexColumn));
    return events.join(lookup, column);
  }
}
