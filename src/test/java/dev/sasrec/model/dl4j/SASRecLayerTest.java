package dev.sasrec.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.SASRec;
import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

class SASRecLayerTest {

  @TempDir Path dir;

  private static final ModelConfig TINY =
      ModelConfig.builder()
          .items(9)
          .maxLen(5)
          .hidden(8)
          .blocks(2)
          .heads(2)
          .ffn(16)
          .dropout(0.0)
          .activation(ModelConfig.Activation.GELU)
          .build();

  /** Sequences 1→2→3→…: a next-item pattern the model can learn. */
  static DataSet data(int rows, DataType type) {
    int length = TINY.maxLen();
    double[][] items = new double[rows][length];
    double[][] labels = new double[rows][2 * length];
    for (int r = 0; r < rows; r++) {
      int start = 1 + r % TINY.numItems();
      for (int t = 0; t < length; t++) {
        boolean padding = t < r % 3;
        int item = 1 + (start + t - 1) % TINY.numItems();
        items[r][t] = padding ? 0 : item;
        labels[r][t] = padding ? 0 : 1 + item % TINY.numItems();
        labels[r][length + t] = 1 + (item + 4) % TINY.numItems();
      }
    }
    return new DataSet(Nd4j.create(items).castTo(type), Nd4j.create(labels).castTo(type));
  }

  @Test
  void dl4jGradientCheckInDoublePrecision() {
    DataType defaultType = Nd4j.dataType();
    DataType defaultFloat = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerConfiguration conf =
          SASRecNetwork.configuration(TINY, SASRec.Targets.ALL, new NoOp(), 1, DataType.DOUBLE);
      MultiLayerNetwork net = new MultiLayerNetwork(conf);
      net.init();
      DataSet ds = data(4, DataType.DOUBLE);
      boolean ok =
          GradientCheckUtil.checkGradients(
              new GradientCheckUtil.MLNConfig()
                  .net(net)
                  .input(ds.getFeatures())
                  .labels(ds.getLabels())
                  .epsilon(1e-6)
                  .maxRelError(1e-5)
                  .minAbsoluteError(1e-9));
      assertThat(ok).isTrue();
    } finally {
      Nd4j.setDefaultDataTypes(defaultType, defaultFloat);
    }
  }

  @Test
  void fitLowersTheLoss() {
    MultiLayerNetwork net = SASRecNetwork.create(TINY, SASRec.Targets.ALL, 1e-2, 7);
    DataSet ds = data(32, DataType.FLOAT);
    net.fit(ds);
    double first = net.score();
    for (int i = 0; i < 60; i++) {
      net.fit(ds);
    }
    assertThat(net.score()).isLessThan(first * 0.5);
    assertThat(SASRecNetwork.layer(net).lastStep().accuracy()).isGreaterThan(0.9);
  }

  @Test
  void saveAndReloadGiveTheSameOutputsAndTrainingContinues() throws Exception {
    MultiLayerNetwork net = SASRecNetwork.create(TINY, SASRec.Targets.ALL, 1e-2, 7);
    DataSet ds = data(16, DataType.FLOAT);
    for (int i = 0; i < 3; i++) {
      net.fit(ds);
    }
    File file = dir.resolve("model.zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    MultiLayerNetwork reloaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
    INDArray expected = net.output(ds.getFeatures());
    assertThat(reloaded.output(ds.getFeatures())).isEqualTo(expected);
    assertThat(expected.shape()).containsExactly(16, TINY.hidden());
    net.fit(ds);
    reloaded.fit(ds);
    assertThat(reloaded.params().equalsWithEps(net.params(), 1e-6)).isTrue();
  }

  @Test
  void configurationSurvivesJson() {
    MultiLayerConfiguration conf =
        SASRecNetwork.configuration(TINY, SASRec.Targets.LAST, new NoOp(), 3, DataType.FLOAT);
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
    SASRecLayer layer = (SASRecLayer) back.getConf(0).getLayer();
    assertThat(layer.modelConfig()).isEqualTo(TINY);
    assertThat(layer.targetPolicy()).isEqualTo(SASRec.Targets.LAST);
    assertThat(layer.getSeed()).isEqualTo(3);
  }

  /** Models written until 2026-12-06 carry each hyper-parameter as a field of the layer. */
  @Test
  void aConfigurationOfTheOlderFormatStillReads() throws Exception {
    ModelConfig cafe =
        TINY.toBuilder().finalLayerNorm(true).separateOutput(true).categories(4).build();
    MultiLayerConfiguration conf =
        SASRecNetwork.configuration(cafe, SASRec.Targets.ALL, new NoOp(), 3, DataType.FLOAT);
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = (ObjectNode) mapper.readTree(conf.toJson());
    ObjectNode layer = findLayer(root);
    assertThat(layer.remove("model")).as("the layer writes one model object").isNotNull();
    layer.put("numItems", cafe.numItems()).put("maxLen", cafe.maxLen());
    layer.put("hidden", cafe.hidden()).put("blocks", cafe.blocks()).put("heads", cafe.heads());
    layer.put("ffn", cafe.ffn()).put("dropoutRate", cafe.dropout());
    layer.put("activation", cafe.activation().name()).put("finalLayerNorm", true);
    layer.put("separateOutput", true).put("numCategories", 4);
    MultiLayerConfiguration back =
        MultiLayerConfiguration.fromJson(mapper.writeValueAsString(root));
    assertThat(((SASRecLayer) back.getConf(0).getLayer()).modelConfig()).isEqualTo(cafe);
  }

  private static ObjectNode findLayer(JsonNode node) {
    if (node.has("model") && node.has("itemUpdates")) {
      return (ObjectNode) node;
    }
    for (JsonNode child : node) {
      if (child.isContainerNode()) {
        ObjectNode found = findLayer(child);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
