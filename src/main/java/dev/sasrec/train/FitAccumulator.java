package dev.sasrec.train;

import org.apache.spark.util.AccumulatorV2;

/**
 * A Spark accumulator of {@link FitSums}: each training task adds its steps, the driver sees the
 * merged sums of finished tasks ({@link #value}) and, through {@link FitProgress}, the partial sums
 * of running ones. The sums are an immutable value behind a volatile field, so a heartbeat reading
 * a running task's accumulator (same JVM in local mode) sees a consistent snapshot.
 */
final class FitAccumulator extends AccumulatorV2<FitSums, FitSums> {

  private volatile FitSums sums = FitSums.ZERO;

  @Override
  public boolean isZero() {
    return sums.minibatches() == 0;
  }

  @Override
  public FitAccumulator copy() {
    FitAccumulator copy = new FitAccumulator();
    copy.sums = sums;
    return copy;
  }

  @Override
  public void reset() {
    sums = FitSums.ZERO;
  }

  @Override
  public void add(FitSums step) {
    sums = sums.plus(step);
  }

  @Override
  public void merge(AccumulatorV2<FitSums, FitSums> other) {
    sums = sums.plus(other.value());
  }

  @Override
  public FitSums value() {
    return sums;
  }
}
