package dev.sasrec.model.dl4j;

import dev.sasrec.model.RowMajor;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The state and the row update of {@link LazyAdam}. Per touched row r, with its own step count t_r
 * (ND4J's Adam formula, t_r in place of the global iteration):
 *
 * <pre>
 * t_r += 1;  m_r = β1·m_r + (1−β1)·g_r;  v_r = β2·v_r + (1−β2)·g_r²
 * p_r −= lr·√(1−β2^t_r)/(1−β1^t_r) · m_r / (√v_r + ε)
 * </pre>
 *
 * {@link #updateRows} changes the table in place for the rows given (the row-sparse trainer);
 * {@link #applyUpdater} is DL4J's dense entry (its own fit and parameter averaging): there a row is
 * touched when its gradient is not all zero, and the update is left in the gradient for DL4J to
 * subtract. Float32 tables only: the training precision (double is for gradient checks, with no
 * updater).
 */
public final class LazyAdamUpdater implements GradientUpdater<LazyAdam> {

  public static final String M_STATE = "M";
  public static final String V_STATE = "V";
  public static final String STEP_STATE = "T";

  private final LazyAdam config;
  private INDArray m;
  private INDArray v;
  private INDArray steps;

  LazyAdamUpdater(LazyAdam config) {
    this.config = config;
  }

  @Override
  public LazyAdam getConfig() {
    return config;
  }

  @Override
  public void setState(Map<String, INDArray> state, boolean initialize) {
    if (!state.containsKey(M_STATE)
        || !state.containsKey(V_STATE)
        || !state.containsKey(STEP_STATE)
        || state.size() != 3) {
      throw new IllegalStateException(
          "Cannot restore lazy Adam's state: need exactly the keys "
              + M_STATE
              + ", "
              + V_STATE
              + ", "
              + STEP_STATE
              + " (got "
              + state.keySet()
              + ")");
    }
    m = state.get(M_STATE);
    v = state.get(V_STATE);
    steps = state.get(STEP_STATE);
    if (initialize) {
      m.assign(0);
      v.assign(0);
      steps.assign(0);
    }
  }

  @Override
  public Map<String, INDArray> getState() {
    Map<String, INDArray> state = new LinkedHashMap<>();
    state.put(M_STATE, m);
    state.put(V_STATE, v);
    state.put(STEP_STATE, steps);
    return state;
  }

  @Override
  public void setStateViewArray(INDArray view, long[] shape, char order, boolean initialize) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    long rows = n / config.getWidth();
    if (view.length() != 2 * n + rows) {
      throw new IllegalArgumentException(
          "Cannot lay out lazy Adam's state: "
              + view.length()
              + " values for "
              + n
              + " parameters in rows of "
              + config.getWidth()
              + " (table "
              + config.getTable()
              + ")");
    }
    INDArray flat = view.reshape(view.length());
    if (initialize) {
      flat.assign(0);
    }
    m = flat.get(NDArrayIndex.interval(0, n));
    v = flat.get(NDArrayIndex.interval(n, 2 * n));
    steps = flat.get(NDArrayIndex.interval(2 * n, 2 * n + rows));
  }

  /** m [rows·width]. */
  public INDArray m() {
    return m;
  }

  /** v [rows·width]. */
  public INDArray v() {
    return v;
  }

  /** The step count of every row [rows]. */
  public INDArray steps() {
    return steps;
  }

  /**
   * One lazy Adam step on rows {@code rows} (distinct) of {@code table}, from their gradient rows
   * in {@code gradient}; every other row, and its state, is left as it is.
   */
  public void updateRows(INDArray table, INDArray gradient, int[] rows) {
    Rows p = new Rows(table);
    Rows g = new Rows(gradient);
    Step step = new Step();
    float[] param = new float[config.getWidth()];
    for (int r : rows) {
      g.read(r, step.grad);
      step.apply(r);
      p.read(r, param);
      for (int j = 0; j < param.length; j++) {
        param[j] -= step.update[j];
      }
      p.write(r, param);
    }
  }

  @Override
  public void applyUpdater(INDArray gradient, int iteration, int epoch) {
    Rows g = new Rows(gradient);
    Step step = new Step();
    long rows = gradient.length() / config.getWidth();
    for (int r = 0; r < rows; r++) {
      g.read(r, step.grad);
      boolean touched = false;
      for (int j = 0; j < step.grad.length && !touched; j++) {
        touched = step.grad[j] != 0;
      }
      if (touched) {
        step.apply(r);
        g.write(r, step.update);
      }
    }
  }

  /**
   * One row's step: the gradient row in {@link #grad}, its parameter update out in {@link #update}.
   */
  private final class Step {
    final float[] grad = new float[config.getWidth()];
    final float[] update = new float[config.getWidth()];
    private final float[] mr = new float[config.getWidth()];
    private final float[] vr = new float[config.getWidth()];
    private final Rows ms = new Rows(m);
    private final Rows vs = new Rows(v);
    private final FloatBuffer counts = new Rows(steps).buffer;
    private final int countsAt = Math.toIntExact(steps.offset());
    private final float beta1 = (float) config.getBeta1();
    private final float beta2 = (float) config.getBeta2();
    private final float epsilon = (float) config.getEpsilon();

    void apply(int r) {
      ms.read(r, mr);
      vs.read(r, vr);
      float t = counts.get(countsAt + r) + 1;
      counts.put(countsAt + r, t);
      double beta1t = Math.pow(config.getBeta1(), t);
      double beta2t = Math.pow(config.getBeta2(), t);
      float alpha = (float) (config.getLearningRate() * Math.sqrt(1 - beta2t) / (1 - beta1t));
      if (!Float.isFinite(alpha) || alpha == 0) {
        alpha = epsilon;
      }
      for (int j = 0; j < grad.length; j++) {
        float gj = grad[j];
        mr[j] = beta1 * mr[j] + gj * (1 - beta1);
        vr[j] = beta2 * vr[j] + gj * gj * (1 - beta2);
        update[j] = mr[j] * alpha / ((float) Math.sqrt(vr[j]) + epsilon);
      }
      ms.write(r, mr);
      vs.write(r, vr);
    }
  }

  /** Row access to a row-major float32 array without gaps (a table or a flat view of one). */
  private final class Rows {
    private final FloatBuffer buffer;
    private final long offset;

    Rows(INDArray a) {
      if (a.dataType() != DataType.FLOAT) {
        throw new IllegalArgumentException(
            "Cannot update rows lazily: float32 tables only (table "
                + config.getTable()
                + " is "
                + a.dataType()
                + ")");
      }
      if (!RowMajor.withoutGaps(a)) {
        throw new IllegalArgumentException(
            "Cannot update rows lazily: the table "
                + config.getTable()
                + " must be row-major without gaps");
      }
      this.buffer = a.data().asNioFloat();
      this.offset = a.offset();
    }

    void read(int row, float[] into) {
      buffer.get(Math.toIntExact(offset + (long) row * into.length), into);
    }

    void write(int row, float[] from) {
      buffer.put(Math.toIntExact(offset + (long) row * from.length), from);
    }
  }
}
