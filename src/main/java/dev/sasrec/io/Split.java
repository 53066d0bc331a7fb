package dev.sasrec.io;

/**
 * Which split an example belongs to: written by Preprocess, read by TrainSASRec and Recommend. The
 * names are the output directories ({@link PreprocessLayout#sequences(Split)}).
 */
public enum Split {
  TRAIN("train"),
  VALIDATION("validation"),
  TEST("test");

  private final String dirName;

  Split(String dirName) {
    this.dirName = dirName;
  }

  public String dirName() {
    return dirName;
  }
}
