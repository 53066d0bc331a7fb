package dev.sasrec.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Names and shapes of every parameter, in the order they sit in DL4J's flat parameter vector,
 * grouped in named parts. Nothing is listed here: every layer declares its own parameters and the
 * model collects its layers' declarations ({@link SequenceModel#parts()}). Keys use no underscore:
 * DL4J's updater splits "layer_param" keys on it.
 */
public final class ParamLayout {

  public static final String ITEM_EMBEDDING = "itemEmb";
  public static final String POSITION_EMBEDDING = "posEmb";
  public static final String EMBEDDING_NORM = "embLn";
  public static final String FINAL_NORM = "finalLn";
  public static final String OUTPUT_EMBEDDING = "outEmb";

  /** Key prefix of CAFE's category encoder: its parameters are a whole encoder's, renamed. */
  public static final String CATEGORY_PREFIX = "cat";

  /**
   * A parameter: its key, shape and kind (a weight matrix is regularized and Xavier-initialized).
   *
   * @param columnBlocks independent matrices laid side by side in the columns (the fused Q, K, V
   *     projection: 3); each is Xavier-initialized over its own fans, as separate matrices would be
   */
  public record Param(String key, long[] shape, Kind kind, int columnBlocks) {

    public Param {
      if (key.isEmpty() || key.contains("_")) {
        throw new IllegalArgumentException(
            "Cannot declare parameter: a key must be non-empty without '_' (" + key + ")");
      }
      if (columnBlocks < 1 || (columnBlocks > 1 && shape[shape.length - 1] % columnBlocks != 0)) {
        throw new IllegalArgumentException(
            "Cannot declare parameter " + key + ": columns do not split in " + columnBlocks);
      }
    }

    public Param(String key, Kind kind, long... shape) {
      this(key, shape, kind, 1);
    }

    public long length() {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      return n;
    }

    /** Xavier-normal standard deviation of one column block: √(2 / (fan in + fan out)). */
    public double xavierStd() {
      return Math.sqrt(2.0 / (shape[0] + shape[1] / columnBlocks));
    }
  }

  /** How a parameter is initialized. */
  public enum Kind {
    /**
     * A table of one row per item or category (row 0 = padding): a batch reads and changes only the
     * rows of the ids it holds, so its gradient and its optimizer step are row-sparse.
     */
    VOCABULARY,
    EMBEDDING,
    WEIGHT,
    BIAS,
    NORM_GAIN,
    NORM_BIAS
  }

  /** A named group of parameters: one row of the model summary (e.g. "block 0 attention"). */
  public record Part(String name, List<Param> params) {
    public Part {
      params = List.copyOf(params);
    }

    public long length() {
      return params.stream().mapToLong(Param::length).sum();
    }
  }

  private final List<Part> parts;
  private final List<Param> params;

  /** The layout of the model a configuration describes. */
  public ParamLayout(ModelConfig c) {
    this(SequenceModel.parts(c));
  }

  public ParamLayout(List<Part> parts) {
    this.parts = List.copyOf(parts);
    List<Param> all = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Part part : parts) {
      for (Param p : part.params()) {
        if (!keys.add(p.key())) {
          throw new IllegalArgumentException(
              "Cannot lay parameters out: key " + p.key() + " declared twice");
        }
        all.add(p);
      }
    }
    this.params = List.copyOf(all);
  }

  /**
   * The category encoder's entries of {@code all} under their plain keys, so that an item encoder
   * over the category vocabulary reads them.
   */
  public static Map<String, INDArray> categoryScope(Map<String, INDArray> all) {
    Map<String, INDArray> scoped = new LinkedHashMap<>();
    all.forEach(
        (key, value) -> {
          if (key.startsWith(CATEGORY_PREFIX)) {
            scoped.put(key.substring(CATEGORY_PREFIX.length()), value);
          }
        });
    return scoped;
  }

  /** The key prefix of block {@code b}. */
  public static String block(int b) {
    return "b" + b;
  }

  public List<Part> parts() {
    return parts;
  }

  public List<Param> params() {
    return params;
  }

  /** The keys of the {@link Kind#VOCABULARY} tables, in layout order. */
  public List<String> vocabularyKeys() {
    return params.stream().filter(p -> p.kind() == Kind.VOCABULARY).map(Param::key).toList();
  }

  public long numParams() {
    return params.stream().mapToLong(Param::length).sum();
  }

  /** Views of {@code flat} (a row vector) shaped as each parameter, in layout order. */
  public Map<String, INDArray> views(INDArray flat) {
    if (flat.length() != numParams()) {
      throw new IllegalArgumentException(
          "Cannot view parameters: expected " + numParams() + " values, got " + flat.length());
    }
    INDArray row = flat.reshape(flat.length());
    Map<String, INDArray> views = new LinkedHashMap<>();
    long offset = 0;
    for (Param p : params) {
      INDArray view = row.get(NDArrayIndex.interval(offset, offset + p.length()));
      views.put(p.key(), view.reshape('c', p.shape()));
      offset += p.length();
    }
    return views;
  }
}
