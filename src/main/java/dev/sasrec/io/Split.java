package dev.sasrec.io;

import java.util.Locale;

/**
 * Which split an example belongs to: written by Preprocess, read by TrainSASRec and Recommend. The
 * names are the output directories ({@link PreprocessLayout#sequences(Split)}).
 */
public enum Split {
  TRAIN,
  VALIDATION,
  TEST;

  /** The directory, and the value of the split column while Preprocess writes: train. */
  public String dirName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
