package dev.sasrec.train.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.ItemUpdates;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Row-sparse rounds on real networks: what a worker sends, and how the driver averages it. */
class RowSparseAveragingTest {

  private static final int LENGTH = 3;

  private static ModelConfig config(int items) {
    return ModelConfig.builder()
        .items(items)
        .maxLen(LENGTH)
        .hidden(4)
        .blocks(1)
        .heads(2)
        .ffn(8)
        .dropout(0.0)
        .activation(ModelConfig.Activation.GELU)
        .build();
  }

  private static MultiLayerNetwork network(int items) {
    return SASRecNetwork.create(
        config(items), SASRec.Targets.ALL, Objective.BCE, 0.01, ItemUpdates.SPARSE, 1);
  }

  /** One row per {items, positives, negatives} triple of length {@link #LENGTH}. */
  private static DataSet batch(int[][]... rows) {
    float[][] features = new float[rows.length][LENGTH];
    float[][] labels = new float[rows.length][2 * LENGTH];
    for (int r = 0; r < rows.length; r++) {
      for (int t = 0; t < LENGTH; t++) {
        features[r][t] = rows[r][0][t];
        labels[r][t] = rows[r][1][t];
        labels[r][LENGTH + t] = rows[r][2][t];
      }
    }
    return new DataSet(Nd4j.create(features), Nd4j.create(labels));
  }

  private static final RowSparseTrainingMaster.Round ROUND =
      new RowSparseTrainingMaster.Round(1, 0, 0, 0.01);

  @Test
  void aWorkersPayloadHoldsOnlyTheRowsItsBatchesTouched() {
    MultiLayerNetwork net = network(50);
    INDArray before = net.params().dup();
    Replica replica = Replica.of(FullState.of(net, 1));
    DataSet first = batch(new int[][] {{0, 3, 4}, {4, 5, 0}, {10, 11, 12}});
    DataSet second = batch(new int[][] {{4, 21, 22}, {21, 22, 23}, {30, 31, 32}});

    RoundDelta result = replica.train(ROUND, 0, List.of(first, second), List.of());

    TableRows items = result.table("itemEmb");
    assertThat(items.rows).containsExactly(0, 3, 4, 5, 10, 11, 12, 21, 22, 23, 30, 31, 32);
    // Row 4 is in both batches: two lazy Adam steps; every other row one.
    for (int i = 0; i < items.rows.length; i++) {
      assertThat(items.steps[i])
          .as("row %d", items.rows[i])
          .isEqualTo(items.rows[i] == 4 ? 2f : 1f);
    }
    // Every other row of the replica's table is as it was; the sent rows are the replica's.
    INDArray table = table(replica.network(), 50);
    INDArray original = table(before, 50);
    Set<Integer> sent = new HashSet<>();
    for (int r : items.rows) {
      sent.add(r);
    }
    for (int r = 0; r <= 50; r++) {
      if (!sent.contains(r)) {
        assertThat(table.getRow(r)).as("row %d", r).isEqualTo(original.getRow(r));
      }
    }
    for (int i = 0; i < items.rows.length; i++) {
      assertThat(table.getRow(items.rows[i]).toFloatVector())
          .containsExactly(Arrays.copyOfRange(items.params, i * 4, i * 4 + 4));
    }
    assertThat(result.bytes()).isLessThan(4L * (net.params().length() + 2 * 51 * 4));
  }

  @Test
  void sparseAveragingEqualsDenseAveragingWhenEveryWorkerTouchedEveryRow() {
    MultiLayerNetwork net = network(5);
    FullState base = FullState.of(net, 1);
    Replica a = Replica.of(base);
    Replica b = Replica.of(base);
    // Every row 0..5 in each worker's batch.
    RoundDelta ra =
        a.train(ROUND, 0, List.of(batch(new int[][] {{0, 1, 2}, {2, 3, 4}, {5, 1, 2}})), List.of());
    RoundDelta rb =
        b.train(ROUND, 0, List.of(batch(new int[][] {{1, 2, 3}, {4, 5, 0}, {3, 4, 5}})), List.of());

    RoundDelta averaged = RoundDelta.none().plus(ra).plus(rb).averaged();
    new StateLayout(net).write(net, averaged);

    INDArray denseParams = a.network().params().add(b.network().params()).muli(0.5);
    INDArray denseState =
        a.network()
            .getUpdater()
            .getStateViewArray()
            .add(b.network().getUpdater().getStateViewArray())
            .muli(0.5);
    assertThat(net.params().toFloatVector())
        .containsExactly(denseParams.toFloatVector(), within(1e-7f));
    assertThat(net.getUpdater().getStateViewArray().toFloatVector())
        .containsExactly(denseState.toFloatVector(), within(1e-7f));
    assertThat(averaged.contributors).hasSize(2);
  }

  @Test
  void aRowOneWorkerChangedTakesThatWorkersValue() {
    TableRows a = rows("itemEmb", new int[] {1, 2}, 1f);
    TableRows b = rows("itemEmb", new int[] {2, 7}, 3f);

    TableRows sum = a.plus(b);
    TableRows mean = sum.averaged();

    assertThat(sum.counts).containsExactly(1, 2, 1);
    assertThat(mean.rows).containsExactly(1, 2, 7);
    assertThat(mean.params).containsExactly(1f, 1f, 2f, 2f, 3f, 3f);
    assertThat(mean.steps).containsExactly(1f, 2f, 3f);
  }

  @Test
  void aReplicaCatchesUpOnlyFromRoundsThatAveragedItsResult() {
    MultiLayerNetwork net = network(20);
    Replica replica = Replica.of(FullState.of(net, 1));
    RoundDelta result =
        replica.train(
            ROUND, 0, List.of(batch(new int[][] {{1, 2, 3}, {2, 3, 4}, {5, 6, 7}})), List.of());
    RoundDelta averaged = RoundDelta.none().plus(result).averaged();
    RoundDelta other =
        Replica.of(FullState.of(net, 1))
            .train(
                ROUND,
                0,
                List.of(batch(new int[][] {{8, 9, 10}, {9, 10, 11}, {12, 13, 14}})),
                List.of());

    assertThat(replica.reach(4, List.of(() -> averaged))).as("too far behind").isFalse();
    assertThat(replica.reach(2, List.of(() -> RoundDelta.none().plus(other).averaged())))
        .as("its own result was not averaged")
        .isFalse();
    assertThat(replica.reach(2, List.of(() -> averaged))).isTrue();
    new StateLayout(net).write(net, averaged);
    assertThat(replica.network().params()).isEqualTo(net.params());
    assertThat(replica.network().getUpdater().getStateViewArray())
        .isEqualTo(net.getUpdater().getStateViewArray());
  }

  @Test
  void batchOrderIsASeededPermutation() {
    for (long n : new long[] {1, 2, 7, 64, 1000}) {
      Set<Long> seen = new TreeSet<>();
      for (long i = 0; i < n; i++) {
        seen.add(new BatchOrder(n, 42).position(i));
      }
      assertThat(seen).hasSize((int) n).allMatch(p -> p >= 0 && p < n);
    }
    assertThat(new BatchOrder(1000, 1).position(5))
        .isNotEqualTo(new BatchOrder(1000, 2).position(5));
  }

  private static TableRows rows(String key, int[] ids, float value) {
    TableRows t = new TableRows(key, 2, ids);
    Arrays.fill(t.params, value);
    Arrays.fill(t.steps, value);
    return t;
  }

  private static INDArray table(MultiLayerNetwork net, int items) {
    return table(net.params(), items);
  }

  private static INDArray table(INDArray params, int items) {
    // The item table is the first parameter of the layout.
    return params
        .reshape(params.length())
        .get(NDArrayIndex.interval(0, (items + 1) * 4L))
        .reshape(items + 1, 4);
  }
}
