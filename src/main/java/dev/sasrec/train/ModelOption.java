package dev.sasrec.train;

import dev.sasrec.config.Declared;
import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
import dev.sasrec.model.ModelConfig;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A model hyper-parameter: its option's declaration and its place in a {@link ModelConfig}, so that
 * the options, the model built from them and the comparison with a checkpoint's model all follow
 * from the one declaration.
 *
 * @param param the option
 * @param set puts a value into a configuration being built
 * @param get reads it back from a configuration (a checkpoint's, for one)
 */
public record ModelOption<T>(
    Param<T> param, BiConsumer<ModelConfig.Builder, T> set, Function<ModelConfig, T> get)
    implements Declared {

  public static <T> ModelOption<T> of(
      Param<T> param, BiConsumer<ModelConfig.Builder, T> set, Function<ModelConfig, T> get) {
    return new ModelOption<>(param, set, get);
  }

  /** Sets this option's value among {@code options} on {@code builder}. */
  void read(Options options, ModelConfig.Builder builder) {
    set.accept(builder, param.get(options));
  }

  /** Sets this option's default on {@code builder}. */
  void readDefault(ModelConfig.Builder builder) {
    set.accept(builder, param.parsedDefault());
  }

  /** The value in {@code model} as the command line writes it. */
  String text(ModelConfig model) {
    T value = get.apply(model);
    return value instanceof Enum<?> e ? Options.cliName(e) : String.valueOf(value);
  }
}
