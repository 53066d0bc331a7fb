package dev.sasrec.model;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Position-wise feed-forward: d → ffn → d with GELU (tanh form) or ReLU, and in training an
 * optional dropout after the activation (pmixer/SASRec.pytorch's first dropout). x: [M, d].
 */
final class FeedForward {

  /**
   * Input, activation's cache, pre-activation, the second product's input (the activation, dropped
   * under {@code drop}) and the dropout mask (null without), kept for the backward pass.
   */
  record Cache(
      INDArray input, Gelu.Cache gelu, INDArray preActivation, INDArray activated, INDArray drop) {}

  private final Linear in;
  private final Linear out;
  private final ModelConfig.Activation activation;
  private final Gelu gelu;
  private final Dropout dropout;

  /** Keys {@code prefix + "W1"}, {@code "B1"}, {@code "W2"}, {@code "B2"}. */
  FeedForward(String prefix, ModelConfig c, Buffers buffers) {
    this.gelu = new Gelu(buffers);
    this.in = new Linear(prefix, "1", c.hidden(), c.ffn());
    this.out = new Linear(prefix, "2", c.ffn(), c.hidden());
    this.activation = c.activation();
    this.dropout = new Dropout(c.ffnDropout());
  }

  List<ParamLayout.Param> params() {
    return concat(in.params(), out.params());
  }

  Forward<Cache> forward(Map<String, INDArray> p, INDArray x, boolean training, Random random) {
    INDArray u = in.forward(p, x); // [M, ffn]
    Gelu.Cache geluCache = null;
    INDArray a;
    if (activation == ModelConfig.Activation.GELU) {
      Forward<Gelu.Cache> g = gelu.forward(u);
      geluCache = g.cache();
      a = g.output();
    } else {
      a = Transforms.relu(u, true); // in place: u > 0 exactly where a > 0, all backward needs
    }
    INDArray drop = dropout.mask(a, training, random);
    INDArray kept = drop == null ? a : a.mul(drop);
    return new Forward<>(out.forward(p, kept), new Cache(x, geluCache, u, kept, drop)); // [M, d]
  }

  /** Inference: the output only, the activation computed in place. */
  INDArray infer(Map<String, INDArray> p, INDArray x) {
    INDArray u = in.forward(p, x); // [M, ffn]
    INDArray a =
        activation == ModelConfig.Activation.GELU ? gelu.infer(u) : Transforms.relu(u, false);
    return out.forward(p, a); // [M, d]
  }

  INDArray backward(
      Map<String, INDArray> p, Map<String, INDArray> g, Cache c, INDArray dy, INDArray ones) {
    INDArray da = Dropout.apply(out.backward(p, g, c.activated(), dy, ones), c.drop()); // [M, ffn]
    INDArray du =
        activation == ModelConfig.Activation.GELU
            ? gelu.backward(c.gelu(), da)
            : da.muli(c.preActivation().gt(0).castTo(da.dataType()));
    return in.backward(p, g, c.input(), du, ones);
  }

  static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
