package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ND4J forward pass against a plain-Java, loop-by-loop implementation of the same equations on
 * random weights (double precision), padding included.
 */
class ReferenceForwardTest {

  private static final double[][] ITEMS = {{0, 0, 3, 1}, {2, 7, 5, 5}};

  @Test
  void hiddenStatesMatchThePlainJavaReference() {
    for (boolean finalNorm : new boolean[] {false, true}) {
      TinyModel m = new TinyModel(TinyModel.config(finalNorm, ModelConfig.Activation.GELU), 21);
      INDArray nd4j =
          new SASRec(m.config, SASRec.Targets.ALL)
              .hidden(m.params, TinyModel.rows(ITEMS), false, null);
      double[][] expected = new Reference(m.config, m.params).hidden(ITEMS);
      for (int r = 0; r < expected.length; r++) {
        for (int c = 0; c < expected[r].length; c++) {
          assertThat(nd4j.getDouble(r, c))
              .as("row %d col %d", r, c)
              .isCloseTo(expected[r][c], within(1e-9));
        }
      }
    }
  }

  /** SASRec's forward pass written out with loops over plain arrays. */
  static final class Reference {
    private final ModelConfig c;
    private final Map<String, INDArray> p;

    Reference(ModelConfig c, Map<String, INDArray> p) {
      this.c = c;
      this.p = p;
    }

    private double[][] m(String key) {
      return p.get(key).toDoubleMatrix();
    }

    private double[] v(String key) {
      return p.get(key).toDoubleVector();
    }

    double[][] hidden(double[][] ids) {
      int batch = ids.length;
      int length = c.maxLen();
      int d = c.hidden();
      double[][] out = new double[batch * length][];
      double[][] items = m(ParamLayout.ITEM_EMBEDDING);
      double[][] positions = m(ParamLayout.POSITION_EMBEDDING);
      for (int b = 0; b < batch; b++) {
        double[][] x = new double[length][d];
        for (int t = 0; t < length; t++) {
          int id = (int) ids[b][t];
          for (int k = 0; k < d; k++) {
            x[t][k] = items[id][k] * Math.sqrt(d) + positions[t][k];
          }
          x[t] = layerNorm(x[t], ParamLayout.EMBEDDING_NORM);
          if (id == 0) {
            x[t] = new double[d];
          }
        }
        for (int block = 0; block < c.blocks(); block++) {
          String pre = ParamLayout.block(block);
          double[][] attended = attention(x, ids[b], pre);
          for (int t = 0; t < length; t++) {
            double[] x1 = add(x[t], attended[t]);
            double[] f = feedForward(layerNorm(x1, pre + "ln2"), pre);
            x[t] = ids[b][t] == 0 ? new double[d] : add(x1, f);
          }
        }
        for (int t = 0; t < length; t++) {
          out[b * length + t] = c.finalLayerNorm() ? layerNorm(x[t], ParamLayout.FINAL_NORM) : x[t];
        }
      }
      return out;
    }

    private double[][] attention(double[][] x, double[] ids, String pre) {
      int length = x.length;
      int d = c.hidden();
      int dh = c.headSize();
      double[][] q = new double[length][];
      double[][] k = new double[length][];
      double[][] val = new double[length][];
      for (int t = 0; t < length; t++) {
        double[] a = layerNorm(x[t], pre + "ln1");
        double[] qkv = linear(a, pre + "Wqkv", pre + "Bqkv"); // Q | K | V
        q[t] = java.util.Arrays.copyOfRange(qkv, 0, d);
        k[t] = java.util.Arrays.copyOfRange(qkv, d, 2 * d);
        val[t] = java.util.Arrays.copyOfRange(qkv, 2 * d, 3 * d);
      }
      double[][] context = new double[length][d];
      for (int h = 0; h < c.heads(); h++) {
        for (int i = 0; i < length; i++) {
          double[] s = new double[length];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < length; j++) {
            double dot = 0;
            for (int e = 0; e < dh; e++) {
              dot += q[i][h * dh + e] * k[j][h * dh + e];
            }
            boolean visible = j <= i && ids[j] != 0;
            s[j] = dot / Math.sqrt(dh) + (visible ? 0 : CausalSelfAttention.MASKED);
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j < length; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
          }
          for (int j = 0; j < length; j++) {
            for (int e = 0; e < dh; e++) {
              context[i][h * dh + e] += s[j] / sum * val[j][h * dh + e];
            }
          }
        }
      }
      double[][] out = new double[length][];
      for (int t = 0; t < length; t++) {
        out[t] = linear(context[t], pre + "Wo", pre + "Bo");
      }
      return out;
    }

    private double[] feedForward(double[] a, String pre) {
      double[] u = linear(a, pre + "W1", pre + "B1");
      for (int i = 0; i < u.length; i++) {
        double x = u[i];
        u[i] = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      }
      return linear(u, pre + "W2", pre + "B2");
    }

    private double[] linear(double[] x, String weight, String bias) {
      double[][] w = m(weight);
      double[] out = v(bias).clone();
      for (int o = 0; o < out.length; o++) {
        for (int i = 0; i < x.length; i++) {
          out[o] += x[i] * w[i][o];
        }
      }
      return out;
    }

    private double[] layerNorm(double[] x, String prefix) {
      double mean = 0;
      for (double e : x) {
        mean += e / x.length;
      }
      double var = 0;
      for (double e : x) {
        var += (e - mean) * (e - mean) / x.length;
      }
      double[] gain = v(prefix + "G");
      double[] bias = v(prefix + "B");
      double[] out = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = (x[i] - mean) / Math.sqrt(var + LayerNorm.EPSILON) * gain[i] + bias[i];
      }
      return out;
    }

    private static double[] add(double[] a, double[] b) {
      double[] out = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i] + b[i];
      }
      return out;
    }
  }
}
