package dev.sasrec.train;

import dev.sasrec.config.Refusal;
import dev.sasrec.eval.EvalSums;
import dev.sasrec.io.Split;
import dev.sasrec.text.Figures;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop of TrainSASRec, without Spark, DL4J or files (like RecBole's {@code Trainer}): fit
 * an epoch, score it, keep the best epoch by validation NDCG@10 under full ranking, checkpoint and
 * prune, stop early when patience runs out, then score the best epoch on the test split. {@link
 * TrainJob} gives it the distributed model, the checkpoints and the run directory.
 */
public final class Trainer {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /**
   * The loop's settings.
   *
   * @param epochs the last epoch ({@code --epochs})
   * @param evalEvery rank every this many epochs, and always at the last ({@code --eval-every})
   * @param patience ranked epochs without a better one before stopping; 0 = never ({@code
   *     --patience})
   * @param keepCheckpoints the newest checkpoints kept besides the best ({@code
   *     --keep-checkpoints})
   */
  public record Settings(int epochs, int evalEvery, int patience, int keepCheckpoints) {
    public Settings {
      if (epochs < 1 || evalEvery < 1 || patience < 0 || keepCheckpoints < 1) {
        throw new IllegalArgumentException(
            "Cannot train: epochs, eval-every and keep-checkpoints must be at least 1, patience"
                + " at least 0 ("
                + epochs
                + ", "
                + evalEvery
                + ", "
                + keepCheckpoints
                + ", "
                + patience
                + ")");
      }
    }

    public static Settings of(TrainConfig config) {
      return new Settings(
          config.epochs(), config.evalEvery(), config.patience(), config.keepCheckpoints());
    }

    /** Whether epoch {@code epoch}'s validation is ranked. */
    Ranking rankingAfter(int epoch) {
      return epoch % evalEvery == 0 || epoch == epochs ? Ranking.RANK : Ranking.SKIP;
    }
  }

  /** Whether scoring also ranks (HR@10, NDCG@10) or gives loss and accuracy only. */
  public enum Ranking {
    SKIP,
    RANK
  }

  /**
   * What fitting one epoch reports.
   *
   * @param loss the fit's last loss score
   * @param training the loss and accuracy sums of the epoch's training steps, as the fit computed
   *     them (dropout on): train_loss and train_accuracy
   * @param parametersFinite whether every parameter is finite after the fit
   * @param examples training examples in the epoch
   * @param seconds time spent fitting
   * @param learningRate the rate the epoch trained at
   */
  public record Fit(
      double loss,
      EvalSums training,
      boolean parametersFinite,
      long examples,
      double seconds,
      double learningRate) {
    boolean finite() {
      return Double.isFinite(loss) && parametersFinite;
    }
  }

  /** The model being trained, as the loop sees it. */
  public interface Model {
    /** Fits epoch {@code epoch} (from 1) over the training split. */
    Fit fit(int epoch);

    /**
     * Scores the current parameters on the targets of {@link Split#VALIDATION} or {@link
     * Split#TEST} (the training split's loss comes from the fit).
     */
    EvalSums evaluate(Split split, int epoch, Ranking ranking);
  }

  /** Where the parameters are kept between epochs. */
  public interface CheckpointStore {
    /**
     * The model's parameters of {@code epoch} are fitted and finite: a store may begin saving them
     * while the epoch is scored ({@link #save} follows with the loop's state).
     */
    default void fitted(int epoch) {}

    /** Saves the model's current parameters with the loop's state. */
    void save(TrainingState state);

    /** Keeps the newest {@code newest} checkpoints and the best epoch's; deletes the others. */
    void prune(int newest, int bestEpoch);

    /** Loads epoch {@code epoch}'s parameters into the model. */
    void restore(int epoch);

    /** Where the newest saved parameters are, for the error that stops a diverged run. */
    Optional<String> newest();
  }

  /** Where the metrics go. */
  public interface MetricsSink {
    /** After every epoch, with every epoch so far. */
    void epochEnded(List<EpochMetrics> history);
  }

  /** The epoch whose parameters are the result, its test scores, and every epoch's metrics. */
  public record Outcome(int bestEpoch, EvalSums test, List<EpochMetrics> history) {}

  private final Settings settings;
  private final Model model;
  private final CheckpointStore checkpoints;
  private final MetricsSink metrics;

  public Trainer(Settings settings, Model model, CheckpointStore checkpoints, MetricsSink metrics) {
    this.settings = settings;
    this.model = model;
    this.checkpoints = checkpoints;
    this.metrics = metrics;
  }

  /** Trains from {@code start} (fresh, or a resumed checkpoint's state) and tests the result. */
  public Outcome run(TrainingState start) {
    TrainingState state = start;
    long started = System.nanoTime();
    long epochStart = started;
    for (int epoch = start.epoch() + 1; epoch <= settings.epochs(); epoch++) {
      state = state.after(epoch(epoch, epochStart));
      // The next epoch's wall time starts here: it carries this epoch's checkpoint and metrics.
      epochStart = System.nanoTime();
      checkpoints.save(state);
      checkpoints.prune(settings.keepCheckpoints(), state.bestEpoch());
      metrics.epochEnded(state.history());
      logEpoch(state, (epochStart - started) / 1e9 / (epoch - start.epoch()));
      if (state.patienceRunOut(settings.patience())) {
        LOG.info(
            "Early stopping after epoch {}: no better validation NDCG@10 in {} evaluations",
            epoch,
            settings.patience());
        break;
      }
    }
    int best = state.resultEpoch();
    checkpoints.restore(best);
    EvalSums test = model.evaluate(Split.TEST, best, Ranking.RANK);
    return new Outcome(best, test, state.history());
  }

  /**
   * Fits and scores one epoch; its wall time runs from {@code start}, the end of the previous
   * epoch's checkpoint and metrics.
   */
  private EpochMetrics epoch(int epoch, long start) {
    Fit fit = model.fit(epoch);
    if (!fit.finite()) {
      throw new Refusal(
          "Cannot continue training: the loss is not finite in epoch "
              + epoch
              + " (score "
              + fit.loss()
              + "); the last good checkpoint is "
              + checkpoints.newest().orElse("none")
              + " (lower "
              + TrainConfig.Key.LR.flag()
              + " and "
              + TrainConfig.Key.RESUME.flag()
              + " true)");
    }
    checkpoints.fitted(epoch);
    Ranking ranking = settings.rankingAfter(epoch);
    EvalSums validation = model.evaluate(Split.VALIDATION, epoch, ranking);
    return EpochMetrics.of(
        epoch,
        fit.training(),
        validation,
        ranking,
        fit.examples() / fit.seconds(),
        (System.nanoTime() - start) / 1e9,
        fit.seconds(),
        fit.learningRate());
  }

  private void logEpoch(TrainingState state, double secondsPerEpoch) {
    EpochMetrics m = state.history().get(state.history().size() - 1);
    LOG.info(
        String.format(
            Locale.ROOT,
            "epoch %d/%d: train loss %.4f acc %.4f (running) | val loss %.4f acc %.4f | val NDCG@10 full %s"
                + " sampled %s | %s seq/s | %s%s",
            m.epoch(),
            settings.epochs(),
            m.trainLoss(),
            m.trainAccuracy(),
            m.valLoss(),
            m.valAccuracy(),
            fmt(m.valNdcg10Full()),
            fmt(m.valNdcg10Sampled()),
            Figures.rate(m.trainSeqPerS()),
            Figures.duration(m.wallS()),
            m.epoch() < settings.epochs()
                ? ", about "
                    + Figures.duration(secondsPerEpoch * (settings.epochs() - m.epoch()))
                    + " left"
                : ""));
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
