package dev.sasrec.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.SparkTestSession;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.rdd.RDD;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.internal.StaticSQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * {@link RowCacheSerializer}: every column type back as it went in, whole rows and a subset of
 * columns in another order, batches split by rows and by bytes, and the batches through Java
 * serialization (a disk-only cache) and Kryo. The test session caches with it, as a short local
 * Preprocess does.
 */
@Tag("spark")
class RowCacheSerializerTest {

  private static final String LOCAL_PROPERTIES = "conf/spark-local.properties";
  private static final String CLUSTER_PROPERTIES = "conf/spark-cluster.properties";
  private static final String CACHE_SERIALIZER_KEY = StaticSQLConf.SPARK_CACHE_SERIALIZER().key();
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);

  /** Every type Preprocess caches, with nulls, empty and non-ASCII text among them. */
  private static Dataset<Row> mixed(SparkSession spark) {
    return spark.sql(
        "select * from values "
            + "('u1', 1L, 2.5D, array(1, 2, 3), named_struct('a', 'x', 'b', 7), true), "
            + "(null, -9L, null, array(), named_struct('a', null, 'b', 0), false), "
            + "('', 9223372036854775807L, -0.0D, null, null, null), "
            + "('überlänge ✓ ' || repeat('z', 5000), 0L, 1e300D, array(null, 5), "
            + "named_struct('a', 'y', 'b', -1), true) "
            + "as t(user, ts, score, items, meta, flag)");
  }

  @Test
  void theTestSessionCachesWithItAndNeitherPropertiesFileNamesIt() throws IOException {
    assertThat(SparkTestSession.get().conf().get(CACHE_SERIALIZER_KEY))
        .isEqualTo(RowCacheSerializer.class.getName());
    // The local launcher chooses it for a short Preprocess only (submit/test_submit_scripts.py).
    assertThat(properties(LOCAL_PROPERTIES).getProperty(CACHE_SERIALIZER_KEY)).isNull();
    assertThat(properties(CLUSTER_PROPERTIES).getProperty(CACHE_SERIALIZER_KEY)).isNull();
  }

  @Test
  void aCachedTableGivesBackItsRowsAndAnyOfItsColumns() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> source = mixed(spark);
    List<Row> expected = source.collectAsList();
    List<Row> expectedSubset = source.select("flag", "items", "user").collectAsList();

    Dataset<Row> cached = mixed(spark).persist(StorageLevel.MEMORY_ONLY());
    try {
      assertThat(cached.count()).isEqualTo(4);
      assertThat(cached.collectAsList()).containsExactlyElementsOf(expected);
      assertThat(cached.select("flag", "items", "user").collectAsList())
          .containsExactlyElementsOf(expectedSubset);
      assertThat(cached.filter("ts > 0").select("ts").collectAsList())
          .extracting(r -> r.getLong(0))
          .containsExactly(1L, Long.MAX_VALUE);
    } finally {
      cached.unpersist(true);
    }
  }

  @Test
  void aDiskOnlyCacheGoesThroughSerializationAndBack() {
    SparkSession spark = SparkTestSession.get();
    List<Row> expected = mixed(spark).collectAsList();

    Dataset<Row> onDisk = mixed(spark).persist(StorageLevel.DISK_ONLY());
    try {
      assertThat(onDisk.collectAsList()).containsExactlyElementsOf(expected);
    } finally {
      onDisk.unpersist(true);
    }
  }

  @Test
  void batchesCloseAtTheBatchSizeInRowsAndAtTheByteLimit() {
    SparkSession spark = SparkTestSession.get();
    RowCacheSerializer serializer = new RowCacheSerializer();
    Dataset<Row> numbers = spark.range(0, 10, 1, 1).selectExpr("id", "cast(id as string) as text");
    SQLConf conf = new SQLConf();
    conf.setConfString(SQLConf.COLUMN_BATCH_SIZE().key(), "4");

    List<CachedBatch> byRows = batches(serializer, numbers, conf);

    assertThat(byRows).extracting(CachedBatch::numRows).containsExactly(4, 4, 2);
    // Rows of over a third of the byte limit: each batch closes after the row that passes it.
    int wide = RowCacheSerializer.MAX_BATCH_BYTES / 3 + 1;
    Dataset<Row> large =
        spark.range(0, 5, 1, 1).selectExpr("id", "repeat('x', " + wide + ") as text");
    List<CachedBatch> byBytes = batches(serializer, large, new SQLConf());
    assertThat(byBytes).extracting(CachedBatch::numRows).containsExactly(3, 2);
    assertThat(byBytes.get(0).sizeInBytes()).isGreaterThan(RowCacheSerializer.MAX_BATCH_BYTES);
  }

  @Test
  void selectedColumnsComeBackInTheOrderAsked() {
    SparkSession spark = SparkTestSession.get();
    RowCacheSerializer serializer = new RowCacheSerializer();
    Dataset<Row> source = mixed(spark);
    List<Attribute> attributes = attributes(source);
    RDD<CachedBatch> cached =
        serializer.convertInternalRowToCachedBatch(
            source.queryExecution().toRdd(),
            seq(attributes),
            StorageLevel.MEMORY_ONLY(),
            new SQLConf());
    List<Attribute> picked = List.of(attributes.get(5), attributes.get(0), attributes.get(3));
    StructType pickedSchema =
        new StructType()
            .add(attributes.get(5).name(), attributes.get(5).dataType())
            .add(attributes.get(0).name(), attributes.get(0).dataType())
            .add(attributes.get(3).name(), attributes.get(3).dataType());

    List<List<Object>> readBack = new ArrayList<>();
    for (Object row :
        (Object[])
            serializer
                .convertCachedBatchToInternalRow(
                    cached, seq(attributes), seq(picked), new SQLConf())
                .toJavaRDD()
                .map(InternalRow::copy)
                .collect()
                .toArray()) {
      readBack.add(JavaConverters.seqAsJavaList(((InternalRow) row).toSeq(pickedSchema)));
    }

    List<Row> expected = source.select("flag", "user", "items").collectAsList();
    assertThat(readBack).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Row e = expected.get(i);
      List<Object> got = readBack.get(i);
      assertThat(got.get(0)).isEqualTo(e.isNullAt(0) ? null : e.getBoolean(0));
      assertThat(got.get(1) == null ? null : got.get(1).toString()).isEqualTo(e.getString(1));
      assertThat(got.get(2) == null ? null : Arrays.asList(arrayOf(got.get(2))))
          .isEqualTo(e.isNullAt(2) ? null : e.getList(2));
    }
  }

  @Test
  void aBatchSurvivesKryo() {
    SparkSession spark = SparkTestSession.get();
    RowCacheSerializer serializer = new RowCacheSerializer();
    Dataset<Row> source = mixed(spark);
    List<CachedBatch> batches = batches(serializer, source.coalesce(1), new SQLConf());
    SerializerInstance kryo =
        new KryoSerializer(
                new SparkConf()
                    .set("spark.kryo.registrator", KryoRegistrator.class.getName())
                    .set("spark.kryo.registrationRequired", "true"))
            .newInstance();

    RowCacheSerializer.RowBatch batch = (RowCacheSerializer.RowBatch) batches.get(0);
    ByteBuffer bytes = kryo.serialize(batch, ANY);
    RowCacheSerializer.RowBatch back = (RowCacheSerializer.RowBatch) kryo.deserialize(bytes, ANY);

    assertThat(back.numRows()).isEqualTo(4);
    assertThat(back.sizes()).containsExactly(batch.sizes());
    assertThat(back.bytes()).isEqualTo(batch.bytes());
  }

  private static Object[] arrayOf(Object arrayData) {
    org.apache.spark.sql.catalyst.util.ArrayData data =
        (org.apache.spark.sql.catalyst.util.ArrayData) arrayData;
    Object[] values = new Object[data.numElements()];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.isNullAt(i) ? null : data.getInt(i);
    }
    return values;
  }

  private static List<CachedBatch> batches(
      RowCacheSerializer serializer, Dataset<Row> rows, SQLConf conf) {
    return serializer
        .convertInternalRowToCachedBatch(
            rows.queryExecution().toRdd(), seq(attributes(rows)), StorageLevel.MEMORY_ONLY(), conf)
        .toJavaRDD()
        .collect();
  }

  private static List<Attribute> attributes(Dataset<Row> rows) {
    return JavaConverters.seqAsJavaList(rows.queryExecution().analyzed().output());
  }

  private static scala.collection.Seq<Attribute> seq(List<Attribute> attributes) {
    return JavaConverters.asScalaBuffer(new ArrayList<>(attributes)).toSeq();
  }

  private static Properties properties(String file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = new FileInputStream(file)) {
      p.load(in);
    }
    return p;
  }
}
