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

  /** Parameters per named part, in model order, as the model's layers declare them. */
  public static Map<String, Long> parts(ModelConfig config) {
    Map<String, Long> parts = new LinkedHashMap<>();
    for (ParamLayout.Part part : new ParamLayout(config).parts()) {
      parts.merge(part.name(), part.length(), Long::sum);
    }
    return parts;
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
