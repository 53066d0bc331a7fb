package dev.sasrec.data;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.Options;
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

  /** The options of conf/preprocess.properties that describe the item metadata. */
  public enum Key implements OptionKey {
    ITEM_META,
    ITEM_META_FORMAT,
    ITEM_META_ITEM_COL,
    ITEM_META_CATEGORY_COL,
    CATEGORY_SEPARATOR
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
    return o.optional(Key.ITEM_META)
        .map(
            uri -> {
              InputFormat format = o.choice(Key.ITEM_META_FORMAT, InputFormat.class);
              return new ItemMeta(
                  uri,
                  format,
                  format.defaultDelimiter(),
                  o.string(Key.ITEM_META_ITEM_COL),
                  o.string(Key.ITEM_META_CATEGORY_COL),
                  o.string(Key.CATEGORY_SEPARATOR));
            });
  }
}
