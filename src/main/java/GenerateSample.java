/**
 * Launch name for {@code spark-submit --class GenerateSample}; see {@link
 * dev.sasrec.cli.GenerateSampleCommand}.
 */
public final class GenerateSample {
  private GenerateSample() {}

  public static void main(String[] args) {
    dev.sasrec.cli.GenerateSampleCommand.main(args);
  }
}
