package dev.sasrec.model;

import java.io.Serializable;

/**
 * Hyper-parameters of the SASRec encoder (the seed's architecture). Defaults live in
 * conf/train.properties; this record only validates. Build it with {@link #builder()}.
 *
 * @param numItems items in the vocabulary (indices 1..numItems; 0 is padding)
 * @param maxLen sequence length L
 * @param hidden model width d
 * @param blocks number of pre-LN transformer blocks
 * @param heads attention heads h (d must divide by h)
 * @param ffn feed-forward inner width
 * @param dropout dropout rate after the embedding, the attention and the feed-forward
 * @param attentionDropout dropout rate on the attention weights (after the softmax; pmixer's
 *     MultiheadAttention dropout); 0 = none
 * @param ffnDropout dropout rate inside the feed-forward, after its activation (pmixer's first
 *     dropout); 0 = none
 * @param activation feed-forward activation
 * @param finalLayerNorm whether a LayerNorm follows the last block
 * @param separateOutput score items against their own output table (gSASRec's default) instead of
 *     the input item table (tied, the paper's)
 * @param numCategories item categories (indices 1..numCategories) for CAFE's category encoder; 0 =
 *     plain SASRec, no category encoder
 */
public record ModelConfig(
    int numItems,
    int maxLen,
    int hidden,
    int blocks,
    int heads,
    int ffn,
    double dropout,
    double attentionDropout,
    double ffnDropout,
    Activation activation,
    boolean finalLayerNorm,
    boolean separateOutput,
    int numCategories)
    implements Serializable {

  /** Feed-forward activations. */
  public enum Activation {
    GELU,
    RELU
  }

  public ModelConfig {
    if (numItems < 1 || maxLen < 1 || hidden < 1 || blocks < 0 || heads < 1 || ffn < 1) {
      throw new IllegalArgumentException(
          "Cannot build model: sizes must be positive (items="
              + numItems
              + ", maxLen="
              + maxLen
              + ", hidden="
              + hidden
              + ", blocks="
              + blocks
              + ", heads="
              + heads
              + ", ffn="
              + ffn
              + ")");
    }
    if (hidden % heads != 0) {
      throw new IllegalArgumentException(
          "Cannot build model: hidden " + hidden + " is not divisible by heads " + heads);
    }
    if (numCategories < 0) {
      throw new IllegalArgumentException(
          "Cannot build model: categories must be 0 (none) or positive (" + numCategories + ")");
    }
    requireRate("dropout", dropout);
    requireRate("attention dropout", attentionDropout);
    requireRate("feed-forward dropout", ffnDropout);
    if (activation == null) {
      throw new IllegalArgumentException("Cannot build model: no activation given");
    }
  }

  private static void requireRate(String name, double rate) {
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException(
          "Cannot build model: " + name + " must be in [0, 1) (" + rate + ")");
    }
  }

  /** The one way to build a configuration: every size is named, nothing is positional. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change a few fields. */
  public Builder toBuilder() {
    return new Builder()
        .items(numItems)
        .maxLen(maxLen)
        .hidden(hidden)
        .blocks(blocks)
        .heads(heads)
        .ffn(ffn)
        .dropout(dropout)
        .attentionDropout(attentionDropout)
        .ffnDropout(ffnDropout)
        .activation(activation)
        .finalLayerNorm(finalLayerNorm)
        .separateOutput(separateOutput)
        .categories(numCategories);
  }

  /** Whether this is CAFE: a category encoder beside the item encoder. */
  public boolean cafe() {
    return numCategories > 0;
  }

  /**
   * CAFE's category encoder: the item encoder's shape over the category vocabulary, scored against
   * its own (tied) category table.
   */
  public ModelConfig categoryEncoder() {
    if (!cafe()) {
      throw new IllegalStateException(
          "Cannot build a category encoder: the model has no categories");
    }
    return toBuilder().items(numCategories).separateOutput(false).categories(0).build();
  }

  /** The parameter key of the table that scores items. */
  public String outputTable() {
    return separateOutput ? ParamLayout.OUTPUT_EMBEDDING : ParamLayout.ITEM_EMBEDDING;
  }

  /** Rows of the item table: the items plus the padding row 0. */
  public int itemRows() {
    return numItems + 1;
  }

  public int headSize() {
    return hidden / heads;
  }

  /**
   * Collects a configuration field by field. The sizes, the dropout and the activation must be set
   * (their defaults live in conf/train.properties, not here); the attention and feed-forward
   * dropouts, the final LayerNorm, the separate output table and the categories are off unless set.
   */
  public static final class Builder {
    private Integer numItems;
    private Integer maxLen;
    private Integer hidden;
    private Integer blocks;
    private Integer heads;
    private Integer ffn;
    private Double dropout;
    private double attentionDropout;
    private double ffnDropout;
    private Activation activation;
    private boolean finalLayerNorm;
    private boolean separateOutput;
    private int numCategories;

    private Builder() {}

    /** Items in the vocabulary (the item table has one more row: padding). */
    public Builder items(int numItems) {
      this.numItems = numItems;
      return this;
    }

    public Builder maxLen(int maxLen) {
      this.maxLen = maxLen;
      return this;
    }

    public Builder hidden(int hidden) {
      this.hidden = hidden;
      return this;
    }

    public Builder blocks(int blocks) {
      this.blocks = blocks;
      return this;
    }

    public Builder heads(int heads) {
      this.heads = heads;
      return this;
    }

    public Builder ffn(int ffn) {
      this.ffn = ffn;
      return this;
    }

    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    public Builder attentionDropout(double attentionDropout) {
      this.attentionDropout = attentionDropout;
      return this;
    }

    public Builder ffnDropout(double ffnDropout) {
      this.ffnDropout = ffnDropout;
      return this;
    }

    public Builder activation(Activation activation) {
      this.activation = activation;
      return this;
    }

    public Builder finalLayerNorm(boolean finalLayerNorm) {
      this.finalLayerNorm = finalLayerNorm;
      return this;
    }

    public Builder separateOutput(boolean separateOutput) {
      this.separateOutput = separateOutput;
      return this;
    }

    /** Item categories for CAFE (0 = plain SASRec). */
    public Builder categories(int numCategories) {
      this.numCategories = numCategories;
      return this;
    }

    public ModelConfig build() {
      return new ModelConfig(
          required(numItems, "items"),
          required(maxLen, "maxLen"),
          required(hidden, "hidden"),
          required(blocks, "blocks"),
          required(heads, "heads"),
          required(ffn, "ffn"),
          required(dropout, "dropout"),
          attentionDropout,
          ffnDropout,
          required(activation, "activation"),
          finalLayerNorm,
          separateOutput,
          numCategories);
    }

    private static <T> T required(T value, String name) {
      if (value == null) {
        throw new IllegalArgumentException("Cannot build model: " + name + " is not set");
      }
      return value;
    }
  }
}
