package dev.sasrec.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.columnar.CachedBatchSerializer;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.Platform;
import scala.Function2;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.AbstractFunction2;

/**
 * A cache of Spark's binary rows as they are ({@code spark.sql.cache.serializer}): a cached batch
 * is the rows' bytes one after another, read back without decoding. Spark's default builds columns
 * (per-column buffers, statistics, encoders) for every cached row: on ML-1M's Preprocess that was
 * the largest cost of a step's tasks after the step's own work (docs/performance.md). What it gives
 * up: batch pruning by column statistics (Preprocess filters no cached table by a range) and the
 * columns' smaller size.
 */
public final class RowCacheSerializer implements CachedBatchSerializer {

  private static final long serialVersionUID = 1L;

  /** A batch closes at this many bytes of rows (or Spark's batch size in rows). */
  static final int MAX_BATCH_BYTES = 4 << 20;

  /**
   * The rows of one batch: their sizes and their bytes, back to back. A class, not a record: Kryo 4
   * cannot build records, and a batch goes through Kryo when its storage level lets it spill to
   * disk ({@link KryoRegistrator} registers {@link RowBatchKryo}).
   */
  static final class RowBatch implements CachedBatch, Serializable {

    private static final long serialVersionUID = 1L;

    private final int[] sizes;
    private final byte[] bytes;

    RowBatch(int[] sizes, byte[] bytes) {
      this.sizes = sizes;
      this.bytes = bytes;
    }

    int[] sizes() {
      return sizes.clone();
    }

    byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public int numRows() {
      return sizes.length;
    }

    @Override
    public long sizeInBytes() {
      return bytes.length + (long) Integer.BYTES * sizes.length;
    }
  }

  /** Kryo's form of a {@link RowBatch}: the row count, the sizes, the bytes. */
  static final class RowBatchKryo extends Serializer<RowBatch> {

    @Override
    public void write(Kryo kryo, Output output, RowBatch batch) {
      output.writeInt(batch.sizes.length, true);
      output.writeInts(batch.sizes, true);
      output.writeInt(batch.bytes.length, true);
      output.writeBytes(batch.bytes);
    }

    @Override
    public RowBatch read(Kryo kryo, Input input, Class<RowBatch> type) {
      int[] sizes = input.readInts(input.readInt(true), true);
      byte[] bytes = input.readBytes(input.readInt(true));
      return new RowBatch(sizes, bytes);
    }
  }

  @Override
  public boolean supportsColumnarInput(Seq<Attribute> schema) {
    return false;
  }

  @Override
  public boolean supportsColumnarOutput(StructType schema) {
    return false;
  }

  @Override
  public RDD<CachedBatch> convertInternalRowToCachedBatch(
      RDD<InternalRow> input, Seq<Attribute> schema, StorageLevel storageLevel, SQLConf conf) {
    int maxRows = conf.columnBatchSize();
    return input.toJavaRDD().mapPartitions(rows -> new Batcher(rows, schema, maxRows)).rdd();
  }

  @Override
  public RDD<CachedBatch> convertColumnarBatchToCachedBatch(
      RDD<ColumnarBatch> input, Seq<Attribute> schema, StorageLevel storageLevel, SQLConf conf) {
    throw new UnsupportedOperationException(
        "Cannot cache columnar input: RowCacheSerializer takes rows only");
  }

  @Override
  public Function2<
          Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
      buildFilter(Seq<Expression> predicates, Seq<Attribute> cachedAttributes) {
    return new KeepAll();
  }

  @Override
  public RDD<ColumnarBatch> convertCachedBatchToColumnarBatch(
      RDD<CachedBatch> input,
      Seq<Attribute> cacheAttributes,
      Seq<Attribute> selectedAttributes,
      SQLConf conf) {
    throw new UnsupportedOperationException(
        "Cannot read a cached table as columns: RowCacheSerializer gives rows only");
  }

  @Override
  public RDD<InternalRow> convertCachedBatchToInternalRow(
      RDD<CachedBatch> input,
      Seq<Attribute> cacheAttributes,
      Seq<Attribute> selectedAttributes,
      SQLConf conf) {
    int width = cacheAttributes.size();
    boolean all = exprIds(selectedAttributes).equals(exprIds(cacheAttributes));
    JavaRDD<InternalRow> rows =
        input
            .toJavaRDD()
            .mapPartitions(
                batches -> {
                  Iterator<InternalRow> read = new Reader(batches, width);
                  if (all) {
                    return read;
                  }
                  return new Projected(read, projection(selectedAttributes, cacheAttributes));
                });
    return rows.rdd();
  }

  private static List<ExprId> exprIds(Seq<Attribute> attributes) {
    return JavaConverters.seqAsJavaList(attributes).stream().map(Attribute::exprId).toList();
  }

  /** {@code output} from rows of {@code input}, bound by Spark by their expression ids. */
  @SuppressWarnings("unchecked")
  private static UnsafeProjection projection(Seq<Attribute> output, Seq<Attribute> input) {
    // Scala's Seq is covariant; Java's view of it is not.
    return UnsafeProjection.create((Seq<Expression>) (Seq<?>) output, input);
  }

  /** Rows into batches of at most {@code maxRows} rows or about {@link #MAX_BATCH_BYTES}. */
  private static final class Batcher implements Iterator<CachedBatch> {
    private final Iterator<InternalRow> rows;
    private final Seq<Attribute> schema;
    private final int maxRows;
    private final int width;

    /** For a row that is not already Spark's binary row of this width: made when first needed. */
    private UnsafeProjection toUnsafe;

    private byte[] bytes = new byte[1 << 16];
    private int[] sizes = new int[1024];

    Batcher(Iterator<InternalRow> rows, Seq<Attribute> schema, int maxRows) {
      this.rows = rows;
      this.schema = schema;
      this.maxRows = maxRows;
      this.width = schema.size();
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public CachedBatch next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException("Cannot cache rows: no rows left");
      }
      int n = 0;
      int used = 0;
      while (rows.hasNext() && n < maxRows && used < MAX_BATCH_BYTES) {
        InternalRow row = rows.next();
        UnsafeRow unsafe = row instanceof UnsafeRow u && u.numFields() == width ? u : unsafe(row);
        int size = unsafe.getSizeInBytes();
        if (used + size > bytes.length) {
          bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + size));
        }
        if (n == sizes.length) {
          sizes = Arrays.copyOf(sizes, n * 2);
        }
        unsafe.writeToMemory(bytes, Platform.BYTE_ARRAY_OFFSET + used);
        sizes[n++] = size;
        used += size;
      }
      return new RowBatch(Arrays.copyOf(sizes, n), Arrays.copyOf(bytes, used));
    }

    private UnsafeRow unsafe(InternalRow row) {
      if (toUnsafe == null) {
        toUnsafe = projection(schema, schema);
      }
      return toUnsafe.apply(row);
    }
  }

  /** The rows of the batches, as one reused row pointing into each batch in turn. */
  private static final class Reader implements Iterator<InternalRow> {
    private final Iterator<CachedBatch> batches;
    private final UnsafeRow row;
    private RowBatch batch;
    private int index;
    private int offset;

    Reader(Iterator<CachedBatch> batches, int width) {
      this.batches = batches;
      this.row = new UnsafeRow(width);
    }

    @Override
    public boolean hasNext() {
      while (batch == null || index == batch.sizes.length) {
        if (!batches.hasNext()) {
          return false;
        }
        batch = (RowBatch) batches.next();
        index = 0;
        offset = 0;
      }
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException("Cannot read a cached table: no rows left");
      }
      int size = batch.sizes[index++];
      row.pointTo(batch.bytes, Platform.BYTE_ARRAY_OFFSET + offset, size);
      offset += size;
      return row;
    }
  }

  /** Rows through a projection (the columns a scan selects). */
  private record Projected(Iterator<InternalRow> rows, UnsafeProjection project)
      implements Iterator<InternalRow> {

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public InternalRow next() {
      return project.apply(rows.next());
    }
  }

  /** No batch pruning: every batch is read. */
  private static final class KeepAll
      extends AbstractFunction2<
          Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public scala.collection.Iterator<CachedBatch> apply(
        Object partition, scala.collection.Iterator<CachedBatch> batches) {
      return batches;
    }
  }
}
