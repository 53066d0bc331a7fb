package dev.sasrec.recommend;

import static org.apache.spark.sql.functions.col;

import dev.sasrec.io.RecommendLayout;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.Vocabularies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The first lists of a Recommend output (by user id, then session), read back as a reader of the
 * output sees them, in either layout and format: one line per list, "user U, session S: item
 * (score) …".
 */
public final class FirstLists {

  private FirstLists() {}

  public static List<String> read(
      SparkSession spark, RecommendConfig config, int lists, int itemsPerList) {
    String path = RecommendLayout.at(config.output()).recommendations().toString();
    // The schema the job wrote: JSON lines of an output without lists would infer none.
    var reader = spark.read().schema(RecommendJob.schema(config));
    Dataset<Row> recs =
        config.format() == RecommendConfig.Format.JSON ? reader.json(path) : reader.parquet(path);
    boolean sessions = List.of(recs.columns()).contains(SequenceSchema.SESSION);
    String[] keys =
        sessions
            ? new String[] {SequenceSchema.USER_ID, SequenceSchema.SESSION}
            : new String[] {SequenceSchema.USER_ID};
    Map<String, StringBuilder> out = new LinkedHashMap<>();
    if (config.layout() == RecommendConfig.Layout.PER_USER) {
      for (Row row : recs.orderBy(columns(keys)).limit(lists).collectAsList()) {
        StringBuilder line = out.computeIfAbsent(head(row, sessions), StringBuilder::new);
        List<Object> items = row.getList(row.fieldIndex(RecommendLayout.ITEMS));
        List<Object> scores = row.getList(row.fieldIndex(RecommendLayout.SCORES));
        for (int i = 0; i < Math.min(itemsPerList, items.size()); i++) {
          append(line, items.get(i), scores.get(i));
        }
      }
    } else {
      List<Row> rows =
          recs.select(columns(keys))
              .distinct()
              .orderBy(columns(keys))
              .limit(lists)
              .join(recs, keys)
              .filter(col(RecommendLayout.RANK).leq(itemsPerList))
              .orderBy(columns(keys, RecommendLayout.RANK))
              .collectAsList();
      for (Row row : rows) {
        append(
            out.computeIfAbsent(head(row, sessions), StringBuilder::new),
            row.getAs(Vocabularies.ITEM_ID),
            row.getAs(RecommendLayout.SCORE));
      }
    }
    List<String> lines = new ArrayList<>();
    out.values().forEach(b -> lines.add(b.toString()));
    return lines;
  }

  /** The named columns, in order. */
  private static Column[] columns(String[] keys, String... more) {
    return Stream.concat(Arrays.stream(keys), Arrays.stream(more))
        .map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new);
  }

  private static String head(Row row, boolean sessions) {
    return "  user "
        + row.getAs(SequenceSchema.USER_ID)
        + (sessions ? ", session " + row.getAs(SequenceSchema.SESSION) : "")
        + ":";
  }

  private static void append(StringBuilder line, Object item, Object score) {
    line.append(String.format(Locale.ROOT, " %s (%.2f)", item, ((Number) score).doubleValue()));
  }
}
