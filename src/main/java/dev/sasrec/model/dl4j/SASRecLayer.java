package dev.sasrec.model.dl4j;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.model.SASRec;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.annotation.JsonAnySetter;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * DL4J configuration of the whole SASRec model as one output layer: the item table is tied between
 * input and output, and DL4J cannot share parameters between layers. Features: [B, L] item ids
 * (CAFE: then L category ids); labels: see {@link dev.sasrec.model.SequenceModel#labelColumns}.
 *
 * <p>A JSON bean (no-arg constructor, getters and setters): Spark workers rebuild the network from
 * its JSON.
 */
public class SASRecLayer extends BaseLayer {

  /** The model's hyper-parameters: one JSON object, the record's components. */
  private ModelConfig model;

  /**
   * The hyper-parameters of a model written before they were one object, as it wrote them, one
   * field each: read, never written.
   */
  @JsonIgnore private final Map<String, Object> legacy = new HashMap<>();

  private String targets = SASRec.Targets.ALL.name();
  private String loss = Objective.Loss.BCE.name();
  private int negatives = 1;
  private double gbceT;
  private long seed;
  private String itemUpdates = ItemUpdates.DENSE.name();

  public SASRecLayer() {}

  public SASRecLayer(ModelConfig c, SASRec.Targets targets, Objective objective, long seed) {
    this(c, targets, objective, seed, ItemUpdates.DENSE);
  }

  public SASRecLayer(
      ModelConfig c,
      SASRec.Targets targets,
      Objective objective,
      long seed,
      ItemUpdates itemUpdates) {
    this.model = c;
    this.itemUpdates = itemUpdates.name();
    this.loss = objective.loss().name();
    this.negatives = objective.negatives();
    this.gbceT = objective.gbceT();
    this.targets = targets.name();
    this.seed = seed;
  }

  public ModelConfig modelConfig() {
    return model != null ? model : legacyModel();
  }

  @JsonAnySetter
  private void legacyField(String name, Object value) {
    legacy.put(name, value);
  }

  /** The fields models wrote until 2026-12-06; no option added since can be among them. */
  private ModelConfig legacyModel() {
    if (!legacy.containsKey("numItems")) {
      throw new IllegalStateException(
          "Cannot read the SASRec layer's configuration: it has neither a model nor the fields of"
              + " an older version ("
              + legacy.keySet()
              + ")");
    }
    return ModelConfig.builder()
        .items(legacyNumber("numItems").intValue())
        .maxLen(legacyNumber("maxLen").intValue())
        .hidden(legacyNumber("hidden").intValue())
        .blocks(legacyNumber("blocks").intValue())
        .heads(legacyNumber("heads").intValue())
        .ffn(legacyNumber("ffn").intValue())
        .dropout(legacyNumber("dropoutRate").doubleValue())
        .activation(ModelConfig.Activation.valueOf(String.valueOf(legacy.get("activation"))))
        .finalLayerNorm(Boolean.TRUE.equals(legacy.get("finalLayerNorm")))
        .separateOutput(Boolean.TRUE.equals(legacy.get("separateOutput")))
        .categories(
            legacy.containsKey("numCategories") ? legacyNumber("numCategories").intValue() : 0)
        .build();
  }

  private Number legacyNumber(String name) {
    return (Number) legacy.get(name);
  }

  public Objective objective() {
    return new Objective(Objective.Loss.valueOf(loss), negatives, gbceT);
  }

  public ItemUpdates itemUpdatePolicy() {
    return ItemUpdates.valueOf(itemUpdates);
  }

  /**
   * Adam for every parameter; with {@link ItemUpdates#SPARSE}, {@link LazyAdam} for each vocabulary
   * table (its own updater block: DL4J merges neighbours with equal configurations).
   */
  @Override
  public IUpdater getUpdaterByParam(String paramName) {
    IUpdater updater = super.getUpdaterByParam(paramName);
    ParamLayout.Param table =
        itemUpdatePolicy() == ItemUpdates.SPARSE ? vocabularyTable(paramName) : null;
    if (table != null) {
      if (!(updater instanceof Adam adam)) {
        throw new IllegalStateException(
            "Cannot update the rows of "
                + paramName
                + " lazily: lazy updates are Adam's, the network has "
                + updater);
      }
      return LazyAdam.of(adam, Math.toIntExact(table.shape()[1]), paramName);
    }
    return updater;
  }

  private ParamLayout.Param vocabularyTable(String key) {
    return new ParamLayout(modelConfig())
        .params().stream()
            .filter(p -> p.key().equals(key) && p.kind() == ParamLayout.Kind.VOCABULARY)
            .findFirst()
            .orElse(null);
  }

  public SASRec.Targets targetPolicy() {
    return SASRec.Targets.valueOf(targets);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(
      NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners,
      int layerIndex,
      INDArray layerParamsView,
      boolean initializeParams,
      DataType networkDataType) {
    SASRecLayerImpl layer = new SASRecLayerImpl(conf, networkDataType);
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    Map<String, INDArray> table = initializer().init(conf, layerParamsView, initializeParams);
    layer.setParamTable(table);
    layer.setConf(conf);
    return layer;
  }

  @Override
  public ParamInitializer initializer() {
    return SASRecParamInitializer.getInstance();
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(modelConfig().hidden());
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    // Sizes come from the model configuration, not from the input type.
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return null;
  }

  @Override
  public boolean isPretrainParam(String paramName) {
    return false;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    long params = initializer().numParams(this);
    return new LayerMemoryReport.Builder(
            layerName, SASRecLayer.class, inputType, getOutputType(0, inputType))
        .standardMemory(params, params)
        .workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
        .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
        .build();
  }

  public ModelConfig getModel() {
    return modelConfig();
  }

  public void setModel(ModelConfig model) {
    this.model = model;
  }

  public String getTargets() {
    return targets;
  }

  public void setTargets(String targets) {
    this.targets = targets;
  }

  public String getLoss() {
    return loss;
  }

  public void setLoss(String loss) {
    this.loss = loss;
  }

  public int getNegatives() {
    return negatives;
  }

  public void setNegatives(int negatives) {
    this.negatives = negatives;
  }

  public double getGbceT() {
    return gbceT;
  }

  public void setGbceT(double gbceT) {
    this.gbceT = gbceT;
  }

  public String getItemUpdates() {
    return itemUpdates;
  }

  public void setItemUpdates(String itemUpdates) {
    this.itemUpdates = itemUpdates;
  }

  public long getSeed() {
    return seed;
  }

  public void setSeed(long seed) {
    this.seed = seed;
  }
}
