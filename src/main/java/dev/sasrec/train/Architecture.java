package dev.sasrec.train;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.Options;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.train.TrainConfig.Key;
import java.util.function.Supplier;

/**
 * The model the options ask for ({@code --model --hidden --blocks --heads --ffn --dropout
 * --activation --final-layer-norm --output-table}); with a vocabulary and a sequence length it is a
 * {@link ModelConfig}. Training, {@code --dry-run} and {@code --summary} all build the model here.
 */
public record Architecture(
    ModelKind kind,
    int hidden,
    int blocks,
    int heads,
    int ffn,
    double dropout,
    double attentionDropout,
    double ffnDropout,
    ModelConfig.Activation activation,
    boolean finalLayerNorm,
    boolean separateOutput) {

  /** Which model: SASRec (its objective chosen by --loss; gbce = gSASRec) or CAFE. */
  public enum ModelKind {
    SASREC,
    CAFE
  }

  /** Which table scores items. */
  public enum OutputTable {
    TIED,
    SEPARATE
  }

  /** The smallest vocabulary and length: enough to try the model's rules on the options alone. */
  private static final int PROBE_SIZE = 1;

  /**
   * Reads the model options. The model's own rules check them (no second copy of those rules here),
   * one option at a time, so that a refusal names the option it is about.
   */
  static Architecture from(Options o) {
    Architecture read =
        new Architecture(
            o.choice(Key.MODEL, ModelKind.class),
            o.integerAtLeast(Key.HIDDEN, 1),
            o.integerAtLeast(Key.BLOCKS, 0),
            o.integerAtLeast(Key.HEADS, 1),
            o.integerAtLeast(Key.FFN, 1),
            o.decimal(Key.DROPOUT),
            o.decimal(Key.ATTENTION_DROPOUT),
            o.decimal(Key.FFN_DROPOUT),
            o.choice(Key.ACTIVATION, ModelConfig.Activation.class),
            o.bool(Key.FINAL_LAYER_NORM),
            o.choice(Key.OUTPUT_TABLE, OutputTable.class) == OutputTable.SEPARATE);
    // Each probe changes one option of a model that is valid otherwise (hidden = heads divides).
    Architecture valid = read.with(read.heads, 0.0, 0.0, 0.0);
    refuseAs(Key.DROPOUT, o, () -> valid.with(read.heads, read.dropout, 0.0, 0.0).probe());
    refuseAs(
        Key.ATTENTION_DROPOUT,
        o,
        () -> valid.with(read.heads, 0.0, read.attentionDropout, 0.0).probe());
    refuseAs(Key.FFN_DROPOUT, o, () -> valid.with(read.heads, 0.0, 0.0, read.ffnDropout).probe());
    refuseAs(Key.HEADS, o, () -> valid.with(read.hidden, 0.0, 0.0, 0.0).probe());
    return read;
  }

  /**
   * The model for a vocabulary of {@code numItems} items and sequences of {@code maxLen}, with
   * {@code numCategories} item categories for CAFE (0 otherwise): the one place that builds a
   * {@link ModelConfig} from options.
   */
  public ModelConfig forData(int numItems, int maxLen, int numCategories) {
    return ModelConfig.builder()
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
        .categories(numCategories)
        .build();
  }

  /** Whether the model has CAFE's category encoder. */
  public boolean cafe() {
    return kind == ModelKind.CAFE;
  }

  private Architecture with(int width, double rate, double attentionRate, double ffnRate) {
    return new Architecture(
        kind,
        width,
        blocks,
        heads,
        ffn,
        rate,
        attentionRate,
        ffnRate,
        activation,
        finalLayerNorm,
        separateOutput);
  }

  private ModelConfig probe() {
    return forData(PROBE_SIZE, PROBE_SIZE, 0);
  }

  /**
   * Runs one of the model's (or the objective's) rules; its refusal becomes a usage error naming
   * {@code key} and its value, with the model's reason.
   */
  static void refuseAs(OptionKey key, Options o, Supplier<?> rule) {
    try {
      rule.get();
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage().replaceFirst("^Cannot [^:]*: ", "");
      throw Options.bad(key, o.string(key), reason);
    }
  }
}
