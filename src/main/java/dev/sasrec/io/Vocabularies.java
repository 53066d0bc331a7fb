package dev.sasrec.io;

import static org.apache.spark.sql.functions.col;

import dev.sasrec.config.Refusal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The vocabularies of a Preprocess output ({@link PreprocessLayout#items()}, {@code users()},
 * {@code categories()}, {@code itemCategories()}): their columns, and the readers the other jobs
 * map indices back to ids with.
 */
public final class Vocabularies {

  /** Dense index, 1..N (0 = padding, never stored). */
  public static final String INDEX = "index";

  /** The raw id. */
  public static final String ID = "id";

  /** Events (items, users) or items (categories) behind the id. */
  public static final String COUNT = "count";

  public static final StructType SCHEMA =
      new StructType()
          .add(INDEX, DataTypes.IntegerType, false)
          .add(ID, DataTypes.StringType, false)
          .add(COUNT, DataTypes.LongType, false);

  /** An item's dense index, wherever it is joined or written beside other columns. */
  public static final String ITEM_INDEX = "item_index";

  /** An item's raw id beside other columns. */
  public static final String ITEM_ID = "item_id";

  /** The category index of an item in {@code item-categories/}. */
  public static final String CATEGORY_INDEX = "category_index";

  private Vocabularies() {}

  /** {@link #ITEM_INDEX}, {@link #ITEM_ID} of every item. */
  public static Dataset<Row> itemIds(SparkSession spark, PreprocessLayout data) {
    return spark
        .read()
        .parquet(data.items().toString())
        .select(col(INDEX).as(ITEM_INDEX), col(ID).as(ITEM_ID));
  }

  /** {@link SequenceSchema#USER_INDEX}, {@link SequenceSchema#USER_ID} of every user. */
  public static Dataset<Row> userIds(SparkSession spark, PreprocessLayout data) {
    return spark
        .read()
        .parquet(data.users().toString())
        .select(col(INDEX).as(SequenceSchema.USER_INDEX), col(ID).as(SequenceSchema.USER_ID));
  }

  /**
   * The category of every item row of a Preprocess output made with {@code --item-meta}: element i
   * is item i's category index, element 0 (padding) is 0. Refuses a table that does not give each
   * of the {@code numItems} items exactly one category.
   */
  public static int[] itemCategories(SparkSession spark, PreprocessLayout data, int numItems) {
    int[] ofItem = new int[numItems + 1];
    List<Row> rows =
        spark
            .read()
            .parquet(data.itemCategories().toString())
            .select(ITEM_INDEX, CATEGORY_INDEX)
            .collectAsList();
    for (Row r : rows) {
      int item = r.getInt(0);
      if (item < 1 || item >= ofItem.length) {
        throw new Refusal(
            "Cannot read item categories: item_index "
                + item
                + " is outside 1.."
                + numItems
                + " ("
                + data.itemCategories()
                + ")");
      }
      ofItem[item] = r.getInt(1);
    }
    for (int i = 1; i < ofItem.length; i++) {
      if (ofItem[i] == 0) {
        throw new Refusal(
            "Cannot read item categories: item_index "
                + i
                + " has no category ("
                + data.itemCategories()
                + ")");
      }
    }
    return ofItem;
  }
}
