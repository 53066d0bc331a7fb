package dev.sasrec.model;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A tiny SASRec in double precision with random weights, for gradient and reference checks. */
final class TinyModel {

  final ModelConfig config;
  final ParamLayout layout;
  final INDArray flat;
  final INDArray gradFlat;
  final Map<String, INDArray> params;
  final Map<String, INDArray> grads;

  TinyModel(ModelConfig config, long seed) {
    this.config = config;
    this.layout = new ParamLayout(config);
    Nd4j.getRandom().setSeed(seed);
    this.flat = Nd4j.randn(DataType.DOUBLE, 1, layout.numParams()).muli(0.5);
    this.gradFlat = Nd4j.zeros(DataType.DOUBLE, 1, layout.numParams());
    this.params = layout.views(flat);
    this.grads = layout.views(gradFlat);
    for (ParamLayout.Param p : layout.params()) {
      if (p.kind() == ParamLayout.Kind.NORM_GAIN) {
        params.get(p.key()).addi(1);
      }
    }
  }

  static ModelConfig config(boolean finalNorm, ModelConfig.Activation activation) {
    return ModelConfig.builder()
        .items(7)
        .maxLen(4)
        .hidden(4)
        .blocks(2)
        .heads(2)
        .ffn(8)
        .dropout(0.0)
        .activation(activation)
        .finalLayerNorm(finalNorm)
        .build();
  }

  static INDArray rows(double[][] values) {
    return Nd4j.create(values).castTo(DataType.DOUBLE);
  }
}
