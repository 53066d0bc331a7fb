package dev.sasrec.model.dl4j;

import dev.sasrec.model.ParamLayout;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lays SASRec's parameters out in DL4J's flat vector ({@link ParamLayout}) and initializes them as
 * pmixer/SASRec.pytorch does: Xavier-normal matrices and embeddings (the fused Q, K, V projection
 * as three [d, d] matrices), LayerNorm gains 1, biases 0; the padding row of the item table starts
 * at 0.
 */
public final class SASRecParamInitializer implements ParamInitializer {

  private static final SASRecParamInitializer INSTANCE = new SASRecParamInitializer();

  public static SASRecParamInitializer getInstance() {
    return INSTANCE;
  }

  private static ParamLayout layout(Layer layer) {
    return new ParamLayout(((SASRecLayer) layer).modelConfig());
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    return layout(layer).numParams();
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return layout(layer).params().stream().map(ParamLayout.Param::key).toList();
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return keysOf(layer, ParamLayout.Kind.WEIGHT);
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return keysOf(layer, ParamLayout.Kind.BIAS);
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return weightKeys(layer).contains(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return biasKeys(layer).contains(key);
  }

  @Override
  public Map<String, INDArray> init(
      NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
    ParamLayout layout = layout(conf.getLayer());
    Map<String, INDArray> views = layout.views(paramsView);
    if (initializeParams) {
      for (ParamLayout.Param p : layout.params()) {
        INDArray view = views.get(p.key());
        switch (p.kind()) {
          case WEIGHT, EMBEDDING, VOCABULARY ->
              view.assign(Nd4j.randn(view.dataType(), p.shape()).muli(p.xavierStd()));
          case NORM_GAIN -> view.assign(1);
          case BIAS, NORM_BIAS -> view.assign(0);
        }
      }
      views.get(ParamLayout.ITEM_EMBEDDING).getRow(0).assign(0);
      INDArray categories = views.get(ParamLayout.CATEGORY_PREFIX + ParamLayout.ITEM_EMBEDDING);
      if (categories != null) {
        categories.getRow(0).assign(0);
      }
    }
    return views;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(
      NeuralNetConfiguration conf, INDArray gradientView) {
    return layout(conf.getLayer()).views(gradientView);
  }

  private static List<String> keysOf(Layer layer, ParamLayout.Kind kind) {
    return layout(layer).params().stream()
        .filter(p -> p.kind() == kind)
        .map(ParamLayout.Param::key)
        .toList();
  }
}
