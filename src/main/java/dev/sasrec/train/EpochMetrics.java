package dev.sasrec.train;

import dev.sasrec.eval.EvalSums;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of metrics.csv / metrics.jsonl. Ranking metrics are NaN (blank in the CSV) in epochs
 * without ranking evaluation.
 *
 * <p>train_loss and train_accuracy are the running means over the epoch's training steps as the fit
 * computed them (dropout on, each step's own negatives; as Keras and PyTorch loops report them).
 * wall_s runs from the end of the previous epoch (its checkpoint, metrics and plots included) to
 * the end of this epoch's validation; fit_s is the part of it spent fitting; lr is the learning
 * rate the epoch trained at (--lr-schedule). Both are NaN (blank) in rows written before they
 * existed.
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double valLoss,
    double valAccuracy,
    double valHr10Sampled,
    double valNdcg10Sampled,
    double valHr10Full,
    double valNdcg10Full,
    double trainSeqPerS,
    double wallS,
    double fitS,
    double lr) {

  public static final List<String> COLUMNS =
      List.of(
          "epoch",
          "train_loss",
          "train_accuracy",
          "val_loss",
          "val_accuracy",
          "val_hr10_sampled",
          "val_ndcg10_sampled",
          "val_hr10_full",
          "val_ndcg10_full",
          "train_seq_per_s",
          "wall_s",
          "fit_s",
          "lr");

  /**
   * An epoch's row from its training-row and validation scores; the ranking metrics are NaN unless
   * the validation was ranked.
   */
  public static EpochMetrics of(
      int epoch,
      EvalSums train,
      EvalSums validation,
      Trainer.Ranking ranking,
      double trainSeqPerS,
      double wallS,
      double fitS,
      double lr) {
    boolean ranked = ranking == Trainer.Ranking.RANK;
    return new EpochMetrics(
        epoch,
        train.loss(),
        train.accuracy(),
        validation.loss(),
        validation.accuracy(),
        ranked ? validation.meanHrSampled() : Double.NaN,
        ranked ? validation.meanNdcgSampled() : Double.NaN,
        ranked ? validation.meanHrFull() : Double.NaN,
        ranked ? validation.meanNdcgFull() : Double.NaN,
        trainSeqPerS,
        wallS,
        fitS,
        lr);
  }

  public boolean ranked() {
    return !Double.isNaN(valNdcg10Full);
  }

  public Map<String, Object> asMap() {
    double[] values = {
      trainLoss,
      trainAccuracy,
      valLoss,
      valAccuracy,
      valHr10Sampled,
      valNdcg10Sampled,
      valHr10Full,
      valNdcg10Full,
      trainSeqPerS,
      wallS,
      fitS,
      lr
    };
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(COLUMNS.get(0), epoch);
    for (int i = 0; i < values.length; i++) {
      map.put(COLUMNS.get(i + 1), Double.isNaN(values[i]) ? null : values[i]);
    }
    return map;
  }

  public String csvLine() {
    StringBuilder line = new StringBuilder().append(epoch);
    for (Object v : asMap().values().stream().skip(1).toList()) {
      line.append(',');
      if (v != null) {
        line.append(String.format(Locale.ROOT, "%.6f", (Double) v));
      }
    }
    return line.toString();
  }

  public static EpochMetrics fromMap(Map<String, Object> m) {
    double[] v = new double[COLUMNS.size() - 1];
    for (int i = 1; i < COLUMNS.size(); i++) {
      Object o = m.get(COLUMNS.get(i));
      v[i - 1] = o == null ? Double.NaN : ((Number) o).doubleValue();
    }
    return new EpochMetrics(
        ((Number) m.get("epoch")).intValue(),
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        v[6],
        v[7],
        v[8],
        v[9],
        v[10],
        v[11]);
  }
}
