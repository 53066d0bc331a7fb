package dev.sasrec.train.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.SparkTestSession;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.ItemUpdates;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The row-sparse master on the tests' local[2] Spark session. */
@Tag("spark")
class RowSparseTrainingMasterTest {

  private static final int ITEMS = 40;
  private static final int LENGTH = 4;

  private static MultiLayerNetwork network() {
    ModelConfig config =
        ModelConfig.builder()
            .items(ITEMS)
            .maxLen(LENGTH)
            .hidden(8)
            .blocks(1)
            .heads(2)
            .ffn(16)
            .dropout(0.1)
            .activation(ModelConfig.Activation.GELU)
            .build();
    return SASRecNetwork.create(
        config, SASRec.Targets.ALL, Objective.BCE, 0.01, ItemUpdates.SPARSE, 3);
  }

  /** 12 batches of 4 rows: item i is followed by i + 1. */
  private static JavaRDD<DataSet> batches(JavaSparkContext sc) {
    List<DataSet> batches = new ArrayList<>();
    for (int b = 0; b < 12; b++) {
      float[][] features = new float[4][LENGTH];
      float[][] labels = new float[4][2 * LENGTH];
      for (int r = 0; r < 4; r++) {
        for (int t = 0; t < LENGTH; t++) {
          int item = 1 + (b * 3 + r + t) % (ITEMS - 1);
          features[r][t] = item;
          labels[r][t] = 1 + item % (ITEMS - 1);
          labels[r][LENGTH + t] = 1 + (item + 17) % (ITEMS - 1);
        }
      }
      batches.add(new DataSet(Nd4j.create(features), Nd4j.create(labels)));
    }
    return sc.parallelize(batches, 3);
  }

  private static INDArray fit(int epochs) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    MultiLayerNetwork net = network();
    try (RowSparseTrainingMaster.Run run = new RowSparseTrainingMaster.Run()) {
      for (int epoch = 0; epoch < epochs; epoch++) {
        net.setEpochCount(epoch);
        new SparkDl4jMultiLayer(sc, net, new RowSparseTrainingMaster(2, 2, 11 + epoch, run))
            .fit(batches(sc));
        assertThat(run.bytes().rounds()).isEqualTo(3);
        assertThat(run.bytes().upPerRound()).isPositive();
      }
    }
    return net.params().dup();
  }

  @Test
  void theSameSeedGivesTheSameParameters() {
    INDArray before = network().params();
    INDArray first = fit(2);
    INDArray second = fit(2);
    assertThat(first).isEqualTo(second).isNotEqualTo(before);
  }

  @Test
  void aWorkerOutOfMemoryFailsTheJobInsteadOfEndingTheJvm() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    MultiLayerNetwork net = network();
    try (RowSparseTrainingMaster.Run run = new RowSparseTrainingMaster.Run()) {
      RowSparseTrainingMaster master = new RowSparseTrainingMaster(2, 2, 1, run);
      master.addHook(new OutOfMemory());
      assertThatThrownBy(() -> new SparkDl4jMultiLayer(sc, net, master).fit(batches(sc)))
          .hasMessageContaining("Cannot fit a round: OutOfMemoryError: test");
    }
    // The JVM (and its Spark session) lives on.
    assertThat(sc.parallelize(List.of(1, 2, 3)).count()).isEqualTo(3);
  }

  /** Runs out of memory before the first step, as a JavaCPP allocation beyond its limit does. */
  private static final class OutOfMemory implements TrainingHook {
    @Override
    public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
      throw new OutOfMemoryError("test");
    }

    @Override
    public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {}

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {}

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {}
  }
}
