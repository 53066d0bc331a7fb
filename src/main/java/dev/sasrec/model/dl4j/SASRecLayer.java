package dev.sasrec.model.dl4j;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.model.SASRec;
import java.util.Collection;
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

/**
 * DL4J configuration of the whole SASRec model as one output layer: the item table is tied between
 * input and output, and DL4J cannot share parameters between layers. Features: [B, L] item ids
 * (CAFE: then L category ids); labels: see {@link dev.sasrec.model.SequenceModel#labelColumns}.
 *
 * <p>A JSON bean (no-arg constructor, getters and setters): Spark workers rebuild the network from
 * its JSON.
 */
public class SASRecLayer extends BaseLayer {

  private int numItems;
  private int maxLen;
  private int hidden;
  private int blocks;
  private int heads;
  private int ffn;
  private double dropoutRate;
  private double attentionDropout;
  private double ffnDropout;
  private String activation = ModelConfig.Activation.GELU.name();
  private boolean finalLayerNorm;
  private String targets = SASRec.Targets.ALL.name();
  private boolean separateOutput;
  private int numCategories;
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
    this.itemUpdates = itemUpdates.name();
    this.separateOutput = c.separateOutput();
    this.numCategories = c.numCategories();
    this.loss = objective.loss().name();
    this.negatives = objective.negatives();
    this.gbceT = objective.gbceT();
    this.numItems = c.numItems();
    this.maxLen = c.maxLen();
    this.hidden = c.hidden();
    this.blocks = c.blocks();
    this.heads = c.heads();
    this.ffn = c.ffn();
    this.dropoutRate = c.dropout();
    this.attentionDropout = c.attentionDropout();
    this.ffnDropout = c.ffnDropout();
    this.activation = c.activation().name();
    this.finalLayerNorm = c.finalLayerNorm();
    this.targets = targets.name();
    this.seed = seed;
  }

  public ModelConfig modelConfig() {
    return ModelConfig.builder()
        .items(numItems)
        .maxLen(maxLen)
        .hidden(hidden)
        .blocks(blocks)
        .heads(heads)
        .ffn(ffn)
        .dropout(dropoutRate)
        .attentionDropout(attentionDropout)
        .ffnDropout(ffnDropout)
        .activation(ModelConfig.Activation.valueOf(activation))
        .finalLayerNorm(finalLayerNorm)
        .separateOutput(separateOutput)
        .categories(numCategories)
        .build();
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
    return InputType.feedForward(hidden);
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

  public int getNumItems() {
    return numItems;
  }

  public void setNumItems(int numItems) {
    this.numItems = numItems;
  }

  public int getMaxLen() {
    return maxLen;
  }

  public void setMaxLen(int maxLen) {
    this.maxLen = maxLen;
  }

  public int getHidden() {
    return hidden;
  }

  public void setHidden(int hidden) {
    this.hidden = hidden;
  }

  public int getBlocks() {
    return blocks;
  }

  public void setBlocks(int blocks) {
    this.blocks = blocks;
  }

  public int getHeads() {
    return heads;
  }

  public void setHeads(int heads) {
    this.heads = heads;
  }

  public int getFfn() {
    return ffn;
  }

  public void setFfn(int ffn) {
    this.ffn = ffn;
  }

  public double getDropoutRate() {
    return dropoutRate;
  }

  public void setDropoutRate(double dropoutRate) {
    this.dropoutRate = dropoutRate;
  }

  public double getAttentionDropout() {
    return attentionDropout;
  }

  public void setAttentionDropout(double attentionDropout) {
    this.attentionDropout = attentionDropout;
  }

  public double getFfnDropout() {
    return ffnDropout;
  }

  public void setFfnDropout(double ffnDropout) {
    this.ffnDropout = ffnDropout;
  }

  public String getActivation() {
    return activation;
  }

  public void setActivation(String activation) {
    this.activation = activation;
  }

  public boolean isFinalLayerNorm() {
    return finalLayerNorm;
  }

  public void setFinalLayerNorm(boolean finalLayerNorm) {
    this.finalLayerNorm = finalLayerNorm;
  }

  public String getTargets() {
    return targets;
  }

  public void setTargets(String targets) {
    this.targets = targets;
  }

  public boolean isSeparateOutput() {
    return separateOutput;
  }

  public void setSeparateOutput(boolean separateOutput) {
    this.separateOutput = separateOutput;
  }

  public int getNumCategories() {
    return numCategories;
  }

  public void setNumCategories(int numCategories) {
    this.numCategories = numCategories;
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
