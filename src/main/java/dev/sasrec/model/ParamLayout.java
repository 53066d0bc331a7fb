package dev.sasrec.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Names and shapes of every parameter, in the order they sit in DL4J's flat parameter vector. Keys
 * use no underscore: DL4J's updater splits "layer_param" keys on it.
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
   */
  public record Param(String key, long[] shape, Kind kind) {
    public long length() {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      return n;
    }
  }

  /** How a parameter is initialized. */
  public enum Kind {
    EMBEDDING,
    WEIGHT,
    BIAS,
    NORM_GAIN,
    NORM_BIAS
  }

  private final List<Param> params = new ArrayList<>();

  public ParamLayout(ModelConfig c) {
    long d = c.hidden();
    add(ITEM_EMBEDDING, Kind.EMBEDDING, c.itemRows(), d);
    add(POSITION_EMBEDDING, Kind.EMBEDDING, c.maxLen(), d);
    addNorm(EMBEDDING_NORM, d);
    for (int b = 0; b < c.blocks(); b++) {
      String p = block(b);
      addNorm(p + "ln1", d);
      for (String proj : new String[] {"q", "k", "v", "o"}) {
        add(p + "W" + proj, Kind.WEIGHT, d, d);
        add(p + "B" + proj, Kind.BIAS, d);
      }
      addNorm(p + "ln2", d);
      add(p + "W1", Kind.WEIGHT, d, c.ffn());
      add(p + "B1", Kind.BIAS, c.ffn());
      add(p + "W2", Kind.WEIGHT, c.ffn(), d);
      add(p + "B2", Kind.BIAS, d);
    }
    if (c.finalLayerNorm()) {
      addNorm(FINAL_NORM, d);
    }
    if (c.separateOutput()) {
      add(OUTPUT_EMBEDDING, Kind.EMBEDDING, c.itemRows(), d);
    }
    if (c.cafe()) {
      for (Param p : new ParamLayout(c.categoryEncoder()).params) {
        add(CATEGORY_PREFIX + p.key(), p.kind(), p.shape());
      }
    }
  }

  /**
   * The category encoder's entries of {@code all} under their plain keys, so that the encoder and
   * the heads read them as they read an item encoder's.
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

  private void addNorm(String prefix, long d) {
    add(prefix + "G", Kind.NORM_GAIN, d);
    add(prefix + "B", Kind.NORM_BIAS, d);
  }

  private void add(String key, Kind kind, long... shape) {
    params.add(new Param(key, shape, kind));
  }

  public List<Param> params() {
    return List.copyOf(params);
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
