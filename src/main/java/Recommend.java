/**
 * Launch name for {@code spark-submit --class Recommend}; see {@link
 * dev.sasrec.cli.RecommendCommand}.
 */
public final class Recommend {
  private Recommend() {}

  public static void main(String[] args) {
    dev.sasrec.cli.RecommendCommand.main(args);
  }
}
