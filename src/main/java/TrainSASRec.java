/**
 * Launch name for {@code spark-submit --class TrainSASRec}; see {@link
 * dev.sasrec.cli.TrainCommand}.
 */
public final class TrainSASRec {
  private TrainSASRec() {}

  public static void main(String[] args) {
    dev.sasrec.cli.TrainCommand.main(args);
  }
}
