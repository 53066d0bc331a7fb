package dev.sasrec.recommend;

import dev.sasrec.config.Refusal;
import dev.sasrec.io.IndexedIds;
import java.util.Map;

/**
 * From a Preprocess output's item indices to the model's: input index → raw id (the output's {@code
 * items/}) → model index (the model's {@code items/}), 0 for an item the model does not know. Built
 * on the driver, broadcast as a plain {@code int[]}.
 *
 * @param toModel element i is the model index of input index i (0: unknown; element 0 padding)
 * @param known input items the model knows
 */
public record ItemTranslation(int[] toModel, int known) {

  public ItemTranslation {
    long mapped = java.util.Arrays.stream(toModel).filter(m -> m > 0).count();
    if (toModel.length == 0 || toModel[0] != 0 || mapped != known) {
      throw new IllegalArgumentException(
          "Cannot translate items: the table must map padding to 0 and hold "
              + known
              + " known items (it maps "
              + mapped
              + ")");
    }
  }

  /** The translation, refusing an input that shares no item with the model. */
  static ItemTranslation between(
      IndexedIds input, IndexedIds model, String inputPath, String modelPath) {
    Map<String, Integer> modelIndex = model.indexOfId();
    int[] toModel = new int[input.ids().length];
    int known = 0;
    for (int i = 1; i < toModel.length; i++) {
      Integer m = modelIndex.get(input.ids()[i]);
      if (m != null) {
        toModel[i] = m;
        known++;
      }
    }
    if (known == 0) {
      throw new Refusal(
          "Cannot recommend: none of the input's "
              + input.size()
              + " items is among the model's "
              + model.size()
              + "; pass a Preprocess output of the log the model was trained on ("
              + inputPath
              + ", "
              + modelPath
              + ")");
    }
    return new ItemTranslation(toModel, known);
  }

  /** Input items in all. */
  public int inputItems() {
    return toModel.length - 1;
  }
}
