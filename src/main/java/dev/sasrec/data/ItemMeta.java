package dev.sasrec.data;

import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
import dev.sasrec.config.UsageException;
import java.util.Objects;
import java.util.Optional;

/**
 * Item metadata for CAFE: a table with an item id and a category column; a value listing several
 * categories ({@code separator}-separated, e.g. MovieLens genres) counts under its first. Its
 * options are declared and read here.
 */
public record ItemMeta(
    String uri,
    InputFormat format,
    String delimiter,
    String itemColumn,
    String categoryColumn,
    String separator) {

  /** The options of Preprocess that describe the item metadata, each declared once. */
  public static final class Key {
    private Key() {}

    public static final Param<Optional<String>> ITEM_META =
        Param.optionalText("item-meta", "URI")
            .doc(
                "Item metadata for CAFE (any Hadoop URI; empty = none): a table with an item id "
                    + "and a category column; categories become indices 1..C (0 = padding) and travel "
                    + "with the sequences.");

    public static final Param<InputFormat> ITEM_META_FORMAT =
        Param.choice("item-meta-format", InputFormat.CSV)
            .doc("Format of item-meta: csv | tsv (with a header line) | json | parquet.");

    public static final Param<String> ITEM_META_ITEM_COL =
        Param.text("item-meta-item-col", "item_id")
            .label("COLUMN")
            .doc("Item id column of item-meta (the raw ids of item-col).");

    public static final Param<String> ITEM_META_CATEGORY_COL =
        Param.text("item-meta-category-col", "category")
            .label("COLUMN")
            .doc(
                "Category column of item-meta; a value listing several categories counts under "
                    + "the first.");

    public static final Param<String> CATEGORY_SEPARATOR =
        Param.text("category-separator", "|")
            .doc(
                "Separator between several categories in one value (MovieLens genres: "
                    + "Action|Comedy).");
  }

  public ItemMeta {
    Objects.requireNonNull(uri, "uri");
    if (!format.fixedFields().isEmpty()) {
      throw Options.bad(
          Key.ITEM_META_FORMAT, Options.cliName(format), "use csv/tsv (see data/movielens-genres)");
    }
    if (itemColumn.isBlank() || categoryColumn.isBlank()) {
      throw new UsageException(
          "Cannot read item metadata: empty column name ("
              + Key.ITEM_META_ITEM_COL.flag()
              + " '"
              + itemColumn
              + "', "
              + Key.ITEM_META_CATEGORY_COL.flag()
              + " '"
              + categoryColumn
              + "')");
    }
    if (separator.isEmpty()) {
      throw Options.bad(Key.CATEGORY_SEPARATOR, separator, "must not be empty");
    }
  }

  /** The item metadata options; empty without {@code --item-meta}. */
  public static Optional<ItemMeta> from(Options o) {
    return Key.ITEM_META
        .get(o)
        .map(
            uri -> {
              InputFormat format = Key.ITEM_META_FORMAT.get(o);
              return new ItemMeta(
                  uri,
                  format,
                  format.defaultDelimiter(),
                  Key.ITEM_META_ITEM_COL.get(o),
                  Key.ITEM_META_CATEGORY_COL.get(o),
                  Key.CATEGORY_SEPARATOR.get(o));
            });
  }
}
