package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The fused Q | K | V product on strided head views against separate per-head products, and the
 * inference paths against the training forward pass.
 */
class CausalSelfAttentionTest {

  private static final double[][] ITEMS = {{0, 0, 3, 1}, {2, 7, 5, 5}, {0, 0, 0, 4}};

  @Test
  void theFusedProjectionEqualsSeparateQueryKeyAndValueProducts() {
    ModelConfig c = TinyModel.config(false, ModelConfig.Activation.GELU);
    TinyModel m = new TinyModel(c, 31);
    Batch batch = Batch.of(TinyModel.rows(ITEMS), c.heads(), DataType.DOUBLE);
    INDArray x = Nd4j.randn(DataType.DOUBLE, ITEMS.length * c.maxLen(), c.hidden());
    INDArray fused =
        new CausalSelfAttention(ParamLayout.block(0), c, new Buffers())
            .forward(m.params, x, batch, false, null)
            .output();
    INDArray separate = separate(m.params, x, c);
    for (int r = 0; r < separate.rows(); r++) {
      for (int j = 0; j < c.hidden(); j++) {
        assertThat(fused.getDouble(r, j)).isCloseTo(separate.getDouble(r, j), within(1e-12));
      }
    }
  }

  @Test
  void theInferencePathsEqualTheForwardPassAtEveryItemInBothPrecisions() {
    ModelConfig c = TinyModel.config(false, ModelConfig.Activation.GELU);
    TinyModel m = new TinyModel(c, 37);
    int length = c.maxLen();
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
      Map<String, INDArray> p = m.layout.views(m.flat.castTo(type));
      Batch batch = Batch.of(TinyModel.rows(ITEMS), c.heads(), type);
      Nd4j.getRandom().setSeed(5);
      INDArray x = Nd4j.randn(type, ITEMS.length * length, c.hidden());
      CausalSelfAttention attention =
          new CausalSelfAttention(ParamLayout.block(0), c, new Buffers());
      INDArray forward = attention.forward(p, x, batch, false, null).output();
      INDArray every = attention.infer(p, x, batch);
      INDArray last = attention.forwardLast(p, x, batch);
      for (int b = 0; b < ITEMS.length; b++) {
        for (int i = 0; i < length; i++) {
          if (ITEMS[b][i] == 0) {
            continue; // a padding query: its row is zeroed downstream, whatever it holds
          }
          INDArray expected = forward.getRow((long) b * length + i);
          assertThat(every.getRow((long) b * length + i).equalsWithEps(expected, tolerance))
              .as("%s, row %d, position %d", type, b, i)
              .isTrue();
          if (i == length - 1) {
            assertThat(last.getRow(b).equalsWithEps(expected, tolerance))
                .as("%s, row %d, last position", type, b)
                .isTrue();
          }
        }
      }
    }
  }

  /** Three [d, d] projections, then per sequence and head plain 2-D products. */
  private static INDArray separate(Map<String, INDArray> p, INDArray x, ModelConfig c) {
    int d = c.hidden();
    int dh = c.headSize();
    int length = c.maxLen();
    INDArray w = p.get("b0Wqkv");
    INDArray bias = p.get("b0Bqkv");
    INDArray[] qkv = new INDArray[3];
    for (int part = 0; part < 3; part++) {
      INDArray wPart = w.get(NDArrayIndex.all(), NDArrayIndex.interval(part * d, (part + 1) * d));
      INDArray bPart = bias.get(NDArrayIndex.interval(part * d, (part + 1) * d));
      qkv[part] = x.mmul(wPart).addRowVector(bPart);
    }
    INDArray context = Nd4j.zeros(DataType.DOUBLE, x.rows(), d);
    for (int b = 0; b < ITEMS.length; b++) {
      INDArrayIndex rows = NDArrayIndex.interval(b * length, (b + 1) * length);
      for (int h = 0; h < c.heads(); h++) {
        INDArrayIndex cols = NDArrayIndex.interval(h * dh, (h + 1) * dh);
        INDArray q = qkv[0].get(rows, cols);
        INDArray k = qkv[1].get(rows, cols);
        INDArray v = qkv[2].get(rows, cols);
        INDArray scores = q.mmul(k.transpose()).muli(1 / Math.sqrt(dh));
        for (int i = 0; i < length; i++) {
          for (int j = 0; j < length; j++) {
            if (j > i || ITEMS[b][j] == 0) {
              scores.putScalar(i, j, scores.getDouble(i, j) + CausalSelfAttention.MASKED);
            }
          }
        }
        INDArray e = Transforms.exp(scores.subColumnVector(scores.max(1).reshape(length, 1)));
        INDArray weights = e.divColumnVector(e.sum(1).reshape(length, 1));
        context.get(rows, cols).assign(weights.mmul(v));
      }
    }
    return context.mmul(p.get("b0Wo")).addRowVector(p.get("b0Bo"));
  }
}
