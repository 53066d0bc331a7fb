package dev.sasrec.data;

import dev.sasrec.config.Options;
import dev.sasrec.config.UsageException;
import java.util.Objects;

/**
 * Item metadata for CAFE: a table with an item id and a category column; a value listing several
 * categories ({@code separator}-separated, e.g. MovieLens genres) counts under its first.
 */
public record ItemMeta(
    String uri,
    InputFormat format,
    String delimiter,
    String itemColumn,
    String categoryColumn,
    String separator) {
  public ItemMeta {
    Objects.requireNonNull(uri, "uri");
    if (format == InputFormat.MOVIELENS) {
      throw Options.bad("item-meta-format", "movielens", "use csv/tsv (see data/movielens-genres)");
    }
    if (itemColumn.isBlank() || categoryColumn.isBlank()) {
      throw new UsageException(
          "Cannot read item metadata: empty column name (--item-meta-item-col '"
              + itemColumn
              + "', --item-meta-category-col '"
              + categoryColumn
              + "')");
    }
    if (separator.isEmpty()) {
      throw Options.bad("category-separator", separator, "must not be empty");
    }
  }
}
