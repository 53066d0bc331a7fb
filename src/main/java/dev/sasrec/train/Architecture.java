package dev.sasrec.train;

import dev.sasrec.config.Declared;
import dev.sasrec.config.OptionKey;
import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
import dev.sasrec.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The model the options ask for: its kind and every hyper-parameter of a {@link ModelConfig} but
 * the data's sizes (vocabulary, length, categories), which {@link #forData} adds. The model options
 * are declared here, each bound to its place in a {@link ModelConfig} ({@link ModelOption}), so a
 * new hyper-parameter is one declaration here and one component there. Training, {@code --dry-run}
 * and {@code --summary} all build the model here.
 *
 * @param kind SASRec (its objective chosen by --loss; gbce = gSASRec) or CAFE
 * @param shape the hyper-parameters, at placeholder sizes of one item and one position
 */
public record Architecture(ModelKind kind, ModelConfig shape) {

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

  /** The model's options, each declared once: part of conf/train.properties. */
  public static final class Key {
    private Key() {}

    public static final Param<ModelKind> MODEL =
        Param.choice("model", ModelKind.SASREC)
            .doc(
                "Model: sasrec (the loss chooses SASRec or gSASRec) | cafe (SASRec + a category "
                    + "encoder; needs a Preprocess output made with --item-meta; trains with bce).");

    public static final ModelOption<Integer> HIDDEN =
        ModelOption.of(
            Param.integer("hidden", 128).atLeast(1).doc("Model width d."),
            ModelConfig.Builder::hidden,
            ModelConfig::hidden);

    public static final ModelOption<Integer> BLOCKS =
        ModelOption.of(
            Param.integer("blocks", 3).atLeast(0).doc("Transformer blocks."),
            ModelConfig.Builder::blocks,
            ModelConfig::blocks);

    public static final ModelOption<Integer> HEADS =
        ModelOption.of(
            Param.integer("heads", 2).atLeast(1).doc("Attention heads (hidden must divide by it)."),
            ModelConfig.Builder::heads,
            ModelConfig::heads);

    public static final ModelOption<Integer> FFN =
        ModelOption.of(
            Param.integer("ffn", 512).atLeast(1).doc("Feed-forward inner width."),
            ModelConfig.Builder::ffn,
            ModelConfig::ffn);

    public static final ModelOption<Double> DROPOUT =
        ModelOption.of(
            Param.decimal("dropout", "0.2")
                .doc(
                    "Dropout after the embedding, the attention and the feed-forward (training only)."),
            ModelConfig.Builder::dropout,
            ModelConfig::dropout);

    public static final ModelOption<Double> ATTENTION_DROPOUT =
        ModelOption.of(
            Param.decimal("attention-dropout", "0")
                .doc(
                    "Dropout on the attention weights, after the softmax (pmixer/SASRec.pytorch's "
                        + "attention dropout; 0 = none)."),
            ModelConfig.Builder::attentionDropout,
            ModelConfig::attentionDropout);

    public static final ModelOption<Double> FFN_DROPOUT =
        ModelOption.of(
            Param.decimal("ffn-dropout", "0")
                .doc(
                    "Dropout inside the feed-forward, after its activation (pmixer/SASRec.pytorch's "
                        + "first dropout; 0 = none)."),
            ModelConfig.Builder::ffnDropout,
            ModelConfig::ffnDropout);

    public static final ModelOption<ModelConfig.Activation> ACTIVATION =
        ModelOption.of(
            Param.choice("activation", ModelConfig.Activation.GELU)
                .doc("Feed-forward activation: gelu | relu."),
            ModelConfig.Builder::activation,
            ModelConfig::activation);

    public static final ModelOption<Boolean> FINAL_LAYER_NORM =
        ModelOption.of(
            Param.bool("final-layer-norm", false)
                .doc("A LayerNorm after the last block (off in the seed)."),
            ModelConfig.Builder::finalLayerNorm,
            ModelConfig::finalLayerNorm);

    public static final ModelOption<OutputTable> OUTPUT_TABLE =
        ModelOption.of(
            Param.choice("output-table", OutputTable.TIED)
                .doc(
                    "Item table that scores items: tied (the input item table, the paper) | separate "
                        + "(its own table, gSASRec's default)."),
            (b, t) -> b.separateOutput(t == OutputTable.SEPARATE),
            m -> m.separateOutput() ? OutputTable.SEPARATE : OutputTable.TIED);
  }

  /** The smallest vocabulary and length: enough to try the model's rules on the options alone. */
  private static final int PROBE_SIZE = 1;

  /** The model hyper-parameters, in declaration order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final List<ModelOption<?>> MODEL_OPTIONS =
      (List) Declared.in(Key.class, ModelOption.class);

  /**
   * Reads the model options. The model's own rules check them (no second copy of those rules here);
   * a refusal names the option it is about: of the options given, the last whose default would
   * change the outcome (hidden 10 with heads 3 names --heads, whose default 2 divides 10).
   */
  static Architecture from(Options o) {
    ModelKind kind = Key.MODEL.get(o);
    try {
      return new Architecture(kind, build(o, null));
    } catch (IllegalArgumentException e) {
      OptionKey blamed = blamed(o, e.getMessage());
      throw Options.bad(blamed, o.string(blamed), reason(e));
    }
  }

  /** The option a refusal names: the last one given whose default changes {@code refusal}. */
  private static OptionKey blamed(Options o, String refusal) {
    List<ModelOption<?>> given =
        MODEL_OPTIONS.stream()
            .filter(m -> !m.param().defaultValue().equals(o.string(m.param())))
            .toList();
    for (int i = given.size() - 1; i >= 0; i--) {
      if (!outcome(o, given.get(i)).equals(refusal)) {
        return given.get(i).param();
      }
    }
    return given.isEmpty() ? Key.MODEL : given.get(given.size() - 1).param();
  }

  /** The model of the options, {@code atDefault} (if any) at its default. */
  private static ModelConfig build(Options o, ModelOption<?> atDefault) {
    ModelConfig.Builder builder = ModelConfig.builder().items(PROBE_SIZE).maxLen(PROBE_SIZE);
    for (ModelOption<?> option : MODEL_OPTIONS) {
      if (option == atDefault) {
        option.readDefault(builder);
      } else {
        option.read(o, builder);
      }
    }
    return builder.build();
  }

  /** Empty when {@link #build} succeeds, else its refusal. */
  private static String outcome(Options o, ModelOption<?> atDefault) {
    try {
      build(o, atDefault);
      return "";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** The model of the declared defaults (what a run without model options trains). */
  public static Architecture ofDefaults() {
    return from(new Options(TrainConfig.OPTIONS.load().defaults()));
  }

  /**
   * The model for a vocabulary of {@code numItems} items and sequences of {@code maxLen}, with
   * {@code numCategories} item categories for CAFE (0 otherwise): the one place that builds a
   * {@link ModelConfig} from options.
   */
  public ModelConfig forData(int numItems, int maxLen, int numCategories) {
    return shape.toBuilder().items(numItems).maxLen(maxLen).categories(numCategories).build();
  }

  /** Whether the model has CAFE's category encoder. */
  public boolean cafe() {
    return kind == ModelKind.CAFE;
  }

  /** The model options' values in {@code model}, as the command line writes them. */
  static Map<OptionKey, String> optionsOf(ModelConfig model) {
    Map<OptionKey, String> values = new LinkedHashMap<>();
    values.put(Key.MODEL, Options.cliName(model.cafe() ? ModelKind.CAFE : ModelKind.SASREC));
    for (ModelOption<?> option : MODEL_OPTIONS) {
      values.put(option.param(), option.text(model));
    }
    return values;
  }

  /**
   * Runs one of the model's (or the objective's) rules; its refusal becomes a usage error naming
   * {@code key} and its value, with the model's reason.
   */
  static <T> T refuseAs(OptionKey key, Options o, Supplier<T> rule) {
    try {
      return rule.get();
    } catch (IllegalArgumentException e) {
      throw Options.bad(key, o.string(key), reason(e));
    }
  }

  /** A model rule's refusal without its "Cannot …:" opening, to follow the option's name. */
  private static String reason(IllegalArgumentException e) {
    return e.getMessage().replaceFirst("^Cannot [^:]*: ", "");
  }
}
