package dev.sasrec.model.dl4j;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Adam with per-row state for a vocabulary table [rows, width] (lazy Adam): a step changes only the
 * rows it touches, and a row's first and second moments and its own step count (for the bias
 * correction) advance only then, as {@code torch.optim.SparseAdam} and TF's LazyAdam. Untouched
 * rows and their state stay exactly as they are, so a step costs the rows of its batch, not the
 * table.
 *
 * <p>State, in DL4J's updater view of the table's block: m [rows·width], v [rows·width], the row
 * step counts [rows] (floats: parameter averaging averages them). {@link #table} names the table so
 * that DL4J keeps each table in an updater block of its own.
 *
 * <p>A JSON bean like DL4J's own updater configurations.
 */
public final class LazyAdam implements IUpdater {

  private double learningRate = Adam.DEFAULT_ADAM_LEARNING_RATE;
  private double beta1 = Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY;
  private double beta2 = Adam.DEFAULT_ADAM_BETA2_VAR_DECAY;
  private double epsilon = Adam.DEFAULT_ADAM_EPSILON;
  private int width = 1;
  private String table = "";

  public LazyAdam() {}

  /** The lazy form of {@code adam} for the table {@code table} with rows of {@code width}. */
  public static LazyAdam of(Adam adam, int width, String table) {
    if (adam.getLearningRateSchedule() != null) {
      throw new IllegalArgumentException(
          "Cannot update rows lazily: DL4J learning-rate schedules are not supported (table "
              + table
              + ")");
    }
    LazyAdam lazy = new LazyAdam();
    lazy.learningRate = adam.getLearningRate();
    lazy.beta1 = adam.getBeta1();
    lazy.beta2 = adam.getBeta2();
    lazy.epsilon = adam.getEpsilon();
    lazy.width = width;
    lazy.table = table;
    return lazy;
  }

  @Override
  public long stateSize(long numParams) {
    if (numParams % width != 0) {
      throw new IllegalArgumentException(
          "Cannot size lazy Adam's state: "
              + numParams
              + " parameters are not rows of "
              + width
              + " (table "
              + table
              + ")");
    }
    return 2 * numParams + numParams / width;
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
    LazyAdamUpdater updater = new LazyAdamUpdater(this);
    long params = viewArray.length() * width / (2L * width + 1);
    updater.setStateViewArray(viewArray, new long[] {1, params}, 'c', initializeViewArray);
    return updater;
  }

  @Override
  public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
    LazyAdamUpdater updater = new LazyAdamUpdater(this);
    updater.setState(state, initialize);
    return updater;
  }

  @Override
  public LazyAdam clone() {
    LazyAdam copy = new LazyAdam();
    copy.learningRate = learningRate;
    copy.beta1 = beta1;
    copy.beta2 = beta2;
    copy.epsilon = epsilon;
    copy.width = width;
    copy.table = table;
    return copy;
  }

  @Override
  public double getLearningRate(int iteration, int epoch) {
    return learningRate;
  }

  @Override
  public boolean hasLearningRate() {
    return true;
  }

  @Override
  public void setLrAndSchedule(double lr, ISchedule schedule) {
    if (schedule != null) {
      throw new IllegalArgumentException(
          "Cannot update rows lazily: DL4J learning-rate schedules are not supported (table "
              + table
              + ")");
    }
    this.learningRate = lr;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LazyAdam other
        && learningRate == other.learningRate
        && beta1 == other.beta1
        && beta2 == other.beta2
        && epsilon == other.epsilon
        && width == other.width
        && table.equals(other.table);
  }

  @Override
  public int hashCode() {
    return Objects.hash(learningRate, beta1, beta2, epsilon, width, table);
  }

  @Override
  public String toString() {
    return "LazyAdam(lr=" + learningRate + ", table=" + table + ", width=" + width + ")";
  }

  public double getLearningRate() {
    return learningRate;
  }

  public void setLearningRate(double learningRate) {
    this.learningRate = learningRate;
  }

  public double getBeta1() {
    return beta1;
  }

  public void setBeta1(double beta1) {
    this.beta1 = beta1;
  }

  public double getBeta2() {
    return beta2;
  }

  public void setBeta2(double beta2) {
    this.beta2 = beta2;
  }

  public double getEpsilon() {
    return epsilon;
  }

  public void setEpsilon(double epsilon) {
    this.epsilon = epsilon;
  }

  public int getWidth() {
    return width;
  }

  public void setWidth(int width) {
    this.width = width;
  }

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }
}
