package dev.sasrec.io;

import static org.apache.spark.sql.functions.col;

import dev.sasrec.config.Refusal;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The vocabulary a model was trained with, kept in its model directory ({@link ModelDir#items()},
 * {@link ModelDir#categories()}): which raw item id each row of the item table scores, and for CAFE
 * each item's category. Copied from the Preprocess output at training time, because Preprocess
 * renumbers items by popularity on every run: a later output of the same log may give the same id
 * another index. Recommend maps histories and results through it.
 *
 * @param items item index (1..N, the rows of the item table) to raw id, and (CAFE) to category
 * @param categories category index (1..C) to category name; null without categories
 */
public record ModelVocabulary(IndexedIds items, IndexedIds categories) {

  /** The column of {@link ModelDir#items()} that holds an item's category index (CAFE). */
  public static final String CATEGORY = "category";

  /**
   * Writes the vocabulary of the Preprocess output {@code data} into {@code dir}: items (index, id,
   * and {@link #CATEGORY} when {@code withCategories}), and the categories (index, id).
   */
  public static void write(
      SparkSession spark, PreprocessLayout data, ModelDir dir, boolean withCategories) {
    Dataset<Row> items =
        spark
            .read()
            .parquet(data.items().toString())
            .select(col(Vocabularies.INDEX), col(Vocabularies.ID));
    if (withCategories) {
      Dataset<Row> ofItem =
          spark
              .read()
              .parquet(data.itemCategories().toString())
              .select(
                  col(Vocabularies.ITEM_INDEX).as(Vocabularies.INDEX),
                  col(Vocabularies.CATEGORY_INDEX).as(CATEGORY));
      items = items.join(ofItem, Vocabularies.INDEX);
      writeOne(
          spark
              .read()
              .parquet(data.categories().toString())
              .select(col(Vocabularies.INDEX), col(Vocabularies.ID)),
          dir.categories().toString());
    }
    writeOne(items, dir.items().toString());
  }

  private static void writeOne(Dataset<Row> table, String path) {
    table.orderBy(Vocabularies.INDEX).coalesce(1).write().mode(SaveMode.Overwrite).parquet(path);
  }

  /**
   * Reads the vocabulary of a model of {@code numItems} items and {@code numCategories} categories
   * (0 without), refusing one that does not match it.
   */
  public static ModelVocabulary read(
      ModelDir dir, int numItems, int numCategories, Configuration conf) {
    IndexedIds items = IndexedIds.read(dir.items(), numCategories > 0 ? CATEGORY : null, conf);
    IndexedIds categories =
        numCategories > 0 ? IndexedIds.read(dir.categories(), null, conf) : null;
    if (items.size() != numItems || (categories != null && categories.size() != numCategories)) {
      throw new Refusal(
          String.format(
              Locale.ROOT,
              "Cannot read model: its vocabulary has %d items and %d categories, its network %d"
                  + " and %d; the model directory is damaged, train it again (%s)",
              items.size(),
              categories == null ? 0 : categories.size(),
              numItems,
              numCategories,
              dir.root()));
    }
    return new ModelVocabulary(items, categories);
  }
}
