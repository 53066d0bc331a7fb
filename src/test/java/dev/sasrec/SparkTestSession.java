package dev.sasrec;

import dev.sasrec.spark.RowCacheSerializer;
import org.apache.spark.sql.SparkSession;

/**
 * One local[2] Spark session shared by every test class in the JVM (surefire reuses the fork):
 * starting Spark per class would dominate the test time.
 */
public final class SparkTestSession {

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("sasrec-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        // As a short local Preprocess caches (submit/spark-submit): the steps' tests read their
        // cached tables through it.
        .config("spark.sql.cache.serializer", RowCacheSerializer.class.getName())
        .getOrCreate();
  }
}
