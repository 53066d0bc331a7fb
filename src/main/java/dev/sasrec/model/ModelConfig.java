package dev.sasrec.model;

import java.io.Serializable;

/**
 * Hyper-parameters of the SASRec encoder (the seed's architecture). Defaults live in
 * conf/train.properties; this record only validates.
 *
 * @param numItems items in the vocabulary (indices 1..numItems; 0 is padding)
 * @param maxLen sequence length L
 * @param hidden model width d
 * @param blocks number of pre-LN transformer blocks
 * @param heads attention heads h (d must divide by h)
 * @param ffn feed-forward inner width
 * @param dropout dropout rate after the embedding, the attention and the feed-forward
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
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException(
          "Cannot build model: dropout must be in [0, 1) (" + dropout + ")");
    }
  }

  /** A model with the tied output table. */
  public ModelConfig(
      int numItems,
      int maxLen,
      int hidden,
      int blocks,
      int heads,
      int ffn,
      double dropout,
      Activation activation,
      boolean finalLayerNorm) {
    this(numItems, maxLen, hidden, blocks, heads, ffn, dropout, activation, finalLayerNorm, false);
  }

  /** A model without a category encoder. */
  public ModelConfig(
      int numItems,
      int maxLen,
      int hidden,
      int blocks,
      int heads,
      int ffn,
      double dropout,
      Activation activation,
      boolean finalLayerNorm,
      boolean separateOutput) {
    this(
        numItems,
        maxLen,
        hidden,
        blocks,
        heads,
        ffn,
        dropout,
        activation,
        finalLayerNorm,
        separateOutput,
        0);
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
    return new ModelConfig(
        numCategories, maxLen, hidden, blocks, heads, ffn, dropout, activation, finalLayerNorm);
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
}
