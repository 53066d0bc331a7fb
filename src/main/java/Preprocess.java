/**
 * Launch name for {@code spark-submit --class Preprocess}; see {@link
 * dev.sasrec.cli.PreprocessCommand}.
 */
public final class Preprocess {
  private Preprocess() {}

  public static void main(String[] args) {
    dev.sasrec.cli.PreprocessCommand.main(args);
  }
}
