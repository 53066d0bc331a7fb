package dev.sasrec.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Layer normalization over the last dimension, as torch.nn.LayerNorm: y = x̂ · gain + bias with x̂
 * = (x − μ) / √(σ² + ε) per row. x, y: [M, d]; gain, bias: [d].
 *
 * <p>Both passes are row loops on heap copies, the same code in double and in single precision:
 * ND4J runs them as ~8 passes whose row reductions and row broadcasts cost 1-3 ns per element on
 * 128-wide rows (measured ~2 ms instead of ~5 ms for a forward and backward pass on [3200, 128]
 * floats). ND4J's native layer_norm is not used: it standardizes without ε (NativeOpsTest).
 */
final class LayerNorm {

  /** torch.nn.LayerNorm's default epsilon. */
  static final double EPSILON = 1e-5;

  /** The {@link Buffers} slots of one row's copies (0 and 1 hold the whole input and output). */
  private static final int ROW = 2;

  private static final int ROW_OUT = 3;

  /** Row sums run as this many interleaved partial sums (additions in flight). */
  private static final int LANES = 4;

  /** Normalized input x̂ [M, d] and 1/σ per row [M], kept for the backward pass. */
  record Cache(INDArray normalized, INDArray inverseStd) {}

  private final String gain;
  private final String bias;
  private final int width;
  private final Buffers buffers;
  private final double[] onesD;
  private final float[] onesF;

  /** Keys {@code key + "G"} and {@code key + "B"}. */
  LayerNorm(String key, long width, Buffers buffers) {
    this.gain = key + "G";
    this.bias = key + "B";
    this.width = (int) width;
    this.buffers = buffers;
    this.onesD = new double[this.width];
    this.onesF = new float[this.width];
    Arrays.fill(onesD, 1);
    Arrays.fill(onesF, 1);
  }

  List<ParamLayout.Param> params() {
    return List.of(
        new ParamLayout.Param(gain, ParamLayout.Kind.NORM_GAIN, width),
        new ParamLayout.Param(bias, ParamLayout.Kind.NORM_BIAS, width));
  }

  Forward<Cache> forward(Map<String, INDArray> p, INDArray x) {
    INDArray normalized = x.ulike();
    INDArray y = x.ulike();
    INDArray inverseStd = normalize(p, x, y, normalized);
    return new Forward<>(y, new Cache(normalized, inverseStd));
  }

  /** Inference: y only, without the backward pass's x̂ and 1/σ. */
  INDArray infer(Map<String, INDArray> p, INDArray x) {
    INDArray y = x.ulike();
    normalize(p, x, y, null);
    return y;
  }

  /**
   * y = x̂ · gain + bias into {@code y}; with {@code normalized} (training) also x̂ into it and 1/σ
   * per row returned, without it (inference) null.
   */
  private INDArray normalize(Map<String, INDArray> p, INDArray x, INDArray y, INDArray normalized) {
    int rows = (int) x.size(0);
    if (x.dataType() == DataType.DOUBLE) {
      double[] v = buffers.readDoubles(0, x); // x, then x̂ in place
      double[] out = buffers.doubles(1, rows * width);
      double[] inverseStd =
          forward(v, p.get(gain).toDoubleVector(), p.get(bias).toDoubleVector(), out, rows);
      buffers.write(out, y);
      if (normalized == null) {
        return null;
      }
      buffers.write(v, normalized);
      return Nd4j.createFromArray(inverseStd);
    }
    float[] v = buffers.readFloats(0, x);
    float[] out = buffers.floats(1, rows * width);
    float[] inverseStd =
        forward(v, p.get(gain).toFloatVector(), p.get(bias).toFloatVector(), out, rows);
    Buffers.write(out, y);
    if (normalized == null) {
      return null;
    }
    Buffers.write(v, normalized);
    return Nd4j.createFromArray(inverseStd);
  }

  /**
   * dx = (1/σ) (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)) per row, with dx̂ = dy · gain; dgain +=
   * Σ_rows dy · x̂, dbias += Σ_rows dy.
   */
  INDArray backward(Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy) {
    int rows = (int) dy.size(0);
    INDArray dx = dy.ulike();
    if (dy.dataType() == DataType.DOUBLE) {
      double[] d = buffers.readDoubles(0, dy); // dy, then dx in place
      double[] xhat = buffers.readDoubles(1, c.normalized());
      double[] dGain = new double[width];
      double[] dBias = new double[width];
      double[] gains = p.get(gain).toDoubleVector();
      backward(d, xhat, gains, c.inverseStd().toDoubleVector(), dGain, dBias, rows);
      accumulate(g.get(gain), Nd4j.createFromArray(dGain));
      accumulate(g.get(bias), Nd4j.createFromArray(dBias));
      buffers.write(d, dx);
    } else {
      float[] d = buffers.readFloats(0, dy);
      float[] xhat = buffers.readFloats(1, c.normalized());
      float[] dGain = new float[width];
      float[] dBias = new float[width];
      float[] gains = p.get(gain).toFloatVector();
      backward(d, xhat, gains, c.inverseStd().toFloatVector(), dGain, dBias, rows);
      accumulate(g.get(gain), Nd4j.createFromArray(dGain));
      accumulate(g.get(bias), Nd4j.createFromArray(dBias));
      Buffers.write(d, dx);
    }
    return dx;
  }

  // The same loops twice: in double precision (gradient checks) and in single (training). One
  // double implementation for both (float arrays copied in and out) cost 4 % of plain fit speed
  // together with Gelu's (ThroughputBenchmark 30 3416 128, 2026-12-01): speed wins here. Each row
  // is copied to a row buffer first: Java 17's JIT vectorizes a loop only when all its arrays are
  // indexed alike, and the gain's j beside the row's o + j kept these loops scalar.

  /** x → x̂ in place, y = x̂ · g + b; returns 1/σ per row. */
  private double[] forward(double[] x, double[] g, double[] b, double[] y, int rows) {
    double[] inverseStd = new double[rows];
    double[] row = buffers.doubles(ROW, width);
    double[] out = buffers.doubles(ROW_OUT, width);
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      System.arraycopy(x, o, row, 0, width);
      double mean = dot(row, 0, onesD, 0) / width;
      for (int j = 0; j < width; j++) {
        row[j] -= mean;
      }
      double s = 1 / Math.sqrt(dot(row, 0, row, 0) / width + EPSILON);
      inverseStd[r] = s;
      for (int j = 0; j < width; j++) {
        row[j] *= s;
        out[j] = row[j] * g[j] + b[j];
      }
      System.arraycopy(row, 0, x, o, width);
      System.arraycopy(out, 0, y, o, width);
    }
    return inverseStd;
  }

  private float[] forward(float[] x, float[] g, float[] b, float[] y, int rows) {
    float[] inverseStd = new float[rows];
    float[] row = buffers.floats(ROW, width);
    float[] out = buffers.floats(ROW_OUT, width);
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      System.arraycopy(x, o, row, 0, width);
      float mean = dot(row, 0, onesF, 0) / width;
      for (int j = 0; j < width; j++) {
        row[j] -= mean;
      }
      float s = (float) (1 / Math.sqrt(dot(row, 0, row, 0) / width + EPSILON));
      inverseStd[r] = s;
      for (int j = 0; j < width; j++) {
        row[j] *= s;
        out[j] = row[j] * g[j] + b[j];
      }
      System.arraycopy(row, 0, x, o, width);
      System.arraycopy(out, 0, y, o, width);
    }
    return inverseStd;
  }

  /** dy → dx in place; adds the rows' dy · x̂ to dGain and dy to dBias. */
  private void backward(
      double[] d,
      double[] xhat,
      double[] g,
      double[] inverseStd,
      double[] dGain,
      double[] dBias,
      int rows) {
    double[] dxhat = new double[width];
    double[] dRow = buffers.doubles(ROW, width);
    double[] xhatRow = buffers.doubles(ROW_OUT, width);
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      System.arraycopy(d, o, dRow, 0, width);
      System.arraycopy(xhat, o, xhatRow, 0, width);
      for (int j = 0; j < width; j++) {
        dGain[j] += dRow[j] * xhatRow[j];
        dBias[j] += dRow[j];
        dxhat[j] = dRow[j] * g[j];
      }
      double s = inverseStd[r];
      double meanDxhat = dot(dxhat, 0, onesD, 0) / width;
      double meanDxhatXhat = dot(dxhat, 0, xhatRow, 0) / width;
      for (int j = 0; j < width; j++) {
        dRow[j] = (dxhat[j] - meanDxhat - xhatRow[j] * meanDxhatXhat) * s;
      }
      System.arraycopy(dRow, 0, d, o, width);
    }
  }

  private void backward(
      float[] d,
      float[] xhat,
      float[] g,
      float[] inverseStd,
      float[] dGain,
      float[] dBias,
      int rows) {
    float[] dxhat = new float[width];
    float[] dRow = buffers.floats(ROW, width);
    float[] xhatRow = buffers.floats(ROW_OUT, width);
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      System.arraycopy(d, o, dRow, 0, width);
      System.arraycopy(xhat, o, xhatRow, 0, width);
      for (int j = 0; j < width; j++) {
        dGain[j] += dRow[j] * xhatRow[j];
        dBias[j] += dRow[j];
        dxhat[j] = dRow[j] * g[j];
      }
      float s = inverseStd[r];
      float meanDxhat = dot(dxhat, 0, onesF, 0) / width;
      float meanDxhatXhat = dot(dxhat, 0, xhatRow, 0) / width;
      for (int j = 0; j < width; j++) {
        dRow[j] = (dxhat[j] - meanDxhat - xhatRow[j] * meanDxhatXhat) * s;
      }
      System.arraycopy(dRow, 0, d, o, width);
    }
  }

  /** Σ_j a[ao + j] · b[bo + j] over one row, in {@link #LANES} partial sums. */
  private double dot(double[] a, int ao, double[] b, int bo) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + LANES <= width; j += LANES) {
      s0 += a[ao + j] * b[bo + j];
      s1 += a[ao + j + 1] * b[bo + j + 1];
      s2 += a[ao + j + 2] * b[bo + j + 2];
      s3 += a[ao + j + 3] * b[bo + j + 3];
    }
    for (; j < width; j++) {
      s0 += a[ao + j] * b[bo + j];
    }
    return s0 + s1 + s2 + s3;
  }

  private float dot(float[] a, int ao, float[] b, int bo) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (; j + LANES <= width; j += LANES) {
      s0 += a[ao + j] * b[bo + j];
      s1 += a[ao + j + 1] * b[bo + j + 1];
      s2 += a[ao + j + 2] * b[bo + j + 2];
      s3 += a[ao + j + 3] * b[bo + j + 3];
    }
    for (; j < width; j++) {
      s0 += a[ao + j] * b[bo + j];
    }
    return s0 + s1 + s2 + s3;
  }

  /** into += values (a parameter's gradient). */
  private static void accumulate(INDArray into, INDArray values) {
    into.addi(values.castTo(into.dataType()).reshape(into.shape()));
  }
}
