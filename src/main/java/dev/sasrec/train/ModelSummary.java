package dev.sasrec.train;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.ParamLayout;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The layer table of a model configuration, like the seed's summary. */
public final class ModelSummary {

  /** The name column's least width: the seed's table layout. */
  private static final int MIN_NAME_WIDTH = 26;

  private ModelSummary() {}

  /** Parameters per named part, in model order. */
  public static Map<String, Long> parts(ModelConfig config) {
    Map<String, Long> parts = new LinkedHashMap<>();
    for (ParamLayout.Param p : new ParamLayout(config).params()) {
      parts.merge(partOf(p.key()), p.length(), Long::sum);
    }
    return parts;
  }

  static String partOf(String key) {
    if (key.startsWith(ParamLayout.CATEGORY_PREFIX)) {
      String inner = partOf(key.substring(ParamLayout.CATEGORY_PREFIX.length()));
      return "category " + inner.replace("item embedding", "embedding");
    }
    if (key.equals(ParamLayout.ITEM_EMBEDDING)) {
      return "item embedding";
    }
    if (key.equals(ParamLayout.POSITION_EMBEDDING)) {
      return "positional embedding";
    }
    if (key.startsWith(ParamLayout.EMBEDDING_NORM)) {
      return "embedding LayerNorm";
    }
    if (key.startsWith(ParamLayout.FINAL_NORM)) {
      return "final LayerNorm";
    }
    if (key.equals(ParamLayout.OUTPUT_EMBEDDING)) {
      return "output item table";
    }
    String block = key.replaceAll("^(b\\d+).*", "$1");
    String rest = key.substring(block.length());
    String part =
        rest.startsWith("ln1")
            ? "LayerNorm 1"
            : rest.startsWith("ln2")
                ? "LayerNorm 2"
                : rest.matches("[WB][qkvo]") ? "attention" : "feed-forward";
    return "block " + block.substring(1) + " " + part;
  }

  public static String table(ModelConfig config) {
    Map<String, Long> parts = parts(config);
    int width =
        Math.max(MIN_NAME_WIDTH, parts.keySet().stream().mapToInt(String::length).max().orElse(0));
    String row = "%-" + width + "s %,14d%n";
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-" + width + "s %14s%n", "layer", "parameters"));
    long total = 0;
    for (Map.Entry<String, Long> e : parts.entrySet()) {
      out.append(String.format(Locale.ROOT, row, e.getKey(), e.getValue()));
      total += e.getValue();
    }
    out.append(String.format(Locale.ROOT, row, "total", total));
    return out.toString();
  }
}
