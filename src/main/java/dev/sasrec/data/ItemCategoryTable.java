package dev.sasrec.data;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.sasrec.config.Options;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.Vocabularies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Item categories for CAFE, from an item metadata table: each vocabulary item gets one category.
 *
 * <ul>
 *   <li>A value listing several categories counts under its first (MovieLens: {@code
 *       Animation|Children's|Comedy} → Animation).
 *   <li>Rows without an item id or a category are rejected with their reason and kept raw.
 *   <li>An item with several rows that disagree takes the smallest category name (deterministic;
 *       counted as conflicting).
 *   <li>A vocabulary item without metadata gets the category {@link #UNKNOWN} (counted).
 *   <li>Categories are indexed 1..C by descending number of items, ties by name, as items are.
 * </ul>
 */
public final class ItemCategoryTable {

  /** The category of items that have no metadata row. */
  public static final String UNKNOWN = "<none>";

  static final String ITEM = "item";
  static final String META_ITEM = "meta_item";
  static final String CATEGORY = "category";

  /** The rejected rows' columns, as in the log's rejected/ output. */
  static final String REASON = EventColumns.REASON;

  static final String RAW = EventColumns.RAW;
  static final String ROWS = "rows";
  static final String DISTINCT = "distinct";

  /** Why a metadata row cannot be used. */
  public enum Reject {
    MISSING_ITEM,
    MISSING_CATEGORY;

    /** The reason as stats.json and rejected-item-meta/ spell it: missing-item. */
    public String key() {
      return Options.cliName(this);
    }
  }

  /** What became of the metadata: every row read is used, rejected, or matched no kept item. */
  public record Counts(
      long rowsRead,
      Map<String, Long> rejected,
      long unmatchedRows,
      long itemsWithCategory,
      long itemsWithoutCategory,
      long conflictingItems,
      long categories) {
    public Counts {
      rejected = new LinkedHashMap<>(rejected);
    }
  }

  /**
   * @param categories vocabulary: index, id, count (items in the category)
   * @param itemCategories item_index, category_index for every vocabulary item
   * @param rejected reason, raw
   */
  public record Built(
      Dataset<Row> categories, Dataset<Row> itemCategories, Dataset<Row> rejected, Counts counts) {}

  private final SparkSession spark;

  public ItemCategoryTable(SparkSession spark) {
    this.spark = spark;
  }

  /** Categories of the {@code items} vocabulary (index, id, count) from {@code meta}. */
  public Built build(ItemMeta meta, Dataset<Row> items) {
    Dataset<Row> parsed = parse(meta).persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> rejectedCounts = new LinkedHashMap<>();
    for (Reject r : Reject.values()) {
      rejectedCounts.put(r.key(), 0L);
    }
    long rowsRead = 0;
    for (Row r : parsed.groupBy(REASON).count().collectAsList()) {
      rowsRead += r.getLong(1);
      if (!r.isNullAt(0)) {
        rejectedCounts.put(r.getString(0), r.getLong(1));
      }
    }
    Dataset<Row> joined = joinItems(parsed, items).persist(StorageLevel.MEMORY_AND_DISK());
    Row matched =
        joined
            .agg(
                sum(when(col(CATEGORY).isNull(), 1).otherwise(0)),
                sum(coalesce(col(ROWS), lit(0L))),
                sum(when(col(DISTINCT).gt(1), 1).otherwise(0)),
                count(lit(1)))
            .first();
    long without = matched.getLong(0);
    long usable = rowsRead - rejectedCounts.values().stream().mapToLong(Long::longValue).sum();
    Dataset<Row> assigned =
        joined.select(
            col(Vocabularies.ITEM_INDEX), coalesce(col(CATEGORY), lit(UNKNOWN)).as(CATEGORY));
    Dataset<Row> categories =
        new Vocabulary(spark, Integer.MAX_VALUE).build(assigned, CATEGORY, "category");
    Dataset<Row> itemCategories =
        assigned
            .join(
                broadcast(
                    categories.select(
                        col(Vocabularies.ID).as(CATEGORY),
                        col(Vocabularies.INDEX).as(Vocabularies.CATEGORY_INDEX))),
                CATEGORY)
            .select(Vocabularies.ITEM_INDEX, Vocabularies.CATEGORY_INDEX)
            .orderBy(Vocabularies.ITEM_INDEX);
    Counts counts =
        new Counts(
            rowsRead,
            rejectedCounts,
            usable - matched.getLong(1),
            matched.getLong(3) - without,
            without,
            matched.getLong(2),
            categories.count());
    Dataset<Row> rejected = parsed.filter(col(REASON).isNotNull()).select(REASON, RAW);
    return new Built(categories, itemCategories, rejected, counts);
  }

  /** One row per metadata row: the item, its first category, why it is unusable, the raw row. */
  private Dataset<Row> parse(ItemMeta meta) {
    Dataset<Row> source = load(meta);
    EventReader.requireColumns(
        "item metadata",
        meta.uri(),
        List.of(source.columns()),
        List.of(meta.itemColumn(), meta.categoryColumn()));
    Column item = trim(col(EventReader.q(meta.itemColumn())).cast(DataTypes.StringType));
    Column category =
        trim(
            element_at(
                split(
                    col(EventReader.q(meta.categoryColumn())).cast(DataTypes.StringType),
                    Pattern.quote(meta.separator())),
                1));
    Column reason =
        when(EventReader.blank(item), lit(Reject.MISSING_ITEM.key()))
            .when(EventReader.blank(category), lit(Reject.MISSING_CATEGORY.key()));
    return source.select(
        item.as(ITEM),
        category.as(CATEGORY),
        reason.as(REASON),
        EventReader.rawJson(source).as(RAW));
  }

  /**
   * Every vocabulary item with the smallest category of its usable metadata rows (null without
   * any), how many rows it has and how many distinct categories they name.
   */
  private static Dataset<Row> joinItems(Dataset<Row> parsed, Dataset<Row> items) {
    Dataset<Row> perItem =
        parsed
            .filter(col(REASON).isNull())
            .groupBy(col(ITEM).as(META_ITEM))
            .agg(
                min(CATEGORY).as(CATEGORY),
                count(lit(1)).as(ROWS),
                countDistinct(CATEGORY).as(DISTINCT));
    return items
        .select(col(Vocabularies.INDEX).as(Vocabularies.ITEM_INDEX), col(Vocabularies.ID).as(ITEM))
        .join(perItem, col(ITEM).equalTo(col(META_ITEM)), "left")
        .drop(META_ITEM);
  }

  /**
   * Adds {@link SequenceSchema#CATEGORIES} and {@link SequenceSchema#TARGET_CATEGORY} to examples,
   * looked up in one broadcast array (item i's category at position i).
   */
  public static Dataset<Row> withCategories(Dataset<Row> examples, Dataset<Row> itemCategories) {
    Dataset<Row> lookup =
        itemCategories.agg(
            expr("transform(sort_array(collect_list(struct("
                    + Vocabularies.ITEM_INDEX
                    + ", "
                    + Vocabularies.CATEGORY_INDEX
                    + "))), s -> s."
                    + Vocabularies.CATEGORY_INDEX
                    + ")")
                .as("lookup"));
    return examples
        .crossJoin(broadcast(lookup))
        .withColumn(
            SequenceSchema.CATEGORIES,
            expr(
                "transform("
                    + SequenceSchema.ITEMS
                    + ", x -> if(x = 0, 0, element_at(lookup, x)))"))
        .withColumn(
            SequenceSchema.TARGET_CATEGORY,
            expr(
                "if("
                    + SequenceSchema.TARGET
                    + " = 0, 0, element_at(lookup, "
                    + SequenceSchema.TARGET
                    + "))"))
        .drop("lookup");
  }

  private Dataset<Row> load(ItemMeta meta) {
    if (meta.format() == InputFormat.PARQUET) {
      return spark.read().parquet(meta.uri());
    }
    if (meta.format() == InputFormat.JSON) {
      return spark.read().json(meta.uri());
    }
    // Every column as text: ids keep their spelling (no "1.0" for 1), and no inference pass.
    return spark
        .read()
        .option("header", "true")
        .option("sep", meta.delimiter())
        .option("inferSchema", "false")
        .csv(meta.uri());
  }
}
