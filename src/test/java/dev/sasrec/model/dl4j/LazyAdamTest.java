package dev.sasrec.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** Lazy Adam against DL4J's own (dense) Adam on the rows a step touches. */
class LazyAdamTest {

  private static final int ROWS = 5;
  private static final int WIDTH = 4;
  private static final double LR = 0.01;

  private static LazyAdamUpdater lazy(INDArray state) {
    return (LazyAdamUpdater) LazyAdam.of(new Adam(LR), WIDTH, "itemEmb").instantiate(state, true);
  }

  private static INDArray state() {
    return Nd4j.zeros(DataType.FLOAT, 1, 2L * ROWS * WIDTH + ROWS);
  }

  private static INDArray table(long seed) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.randn(DataType.FLOAT, ROWS, WIDTH);
  }

  /** DL4J's Adam over {@code steps} gradients of one row, from a fresh state: the row after. */
  private static float[] denseAdam(float[] row, float[]... gradients) {
    INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * WIDTH);
    GradientUpdater<?> adam = new Adam(LR).instantiate(state, true);
    INDArray p = Nd4j.createFromArray(row.clone()).reshape(1, WIDTH);
    for (int i = 0; i < gradients.length; i++) {
      INDArray g = Nd4j.createFromArray(gradients[i].clone()).reshape(1, WIDTH);
      adam.applyUpdater(g, i, 0);
      p.subi(g);
    }
    return p.toFloatVector();
  }

  @Test
  void touchedRowsMoveAsDenseAdamAndUntouchedRowsStay() {
    INDArray table = table(3);
    INDArray before = table.dup();
    INDArray gradient = Nd4j.randn(DataType.FLOAT, ROWS, WIDTH);
    INDArray state = state();
    LazyAdamUpdater updater = lazy(state);

    updater.updateRows(table, gradient, new int[] {1, 3});

    for (int r : new int[] {1, 3}) {
      float[] expected =
          denseAdam(before.getRow(r).toFloatVector(), gradient.getRow(r).toFloatVector());
      assertThat(table.getRow(r).toFloatVector()).containsExactly(expected, within(1e-6f));
      assertThat(updater.steps().getFloat(r)).isEqualTo(1f);
    }
    for (int r : new int[] {0, 2, 4}) {
      assertThat(table.getRow(r)).isEqualTo(before.getRow(r));
      assertThat(updater.steps().getFloat(r)).isZero();
      assertThat(rowOf(updater.m(), r).sumNumber().doubleValue()).isZero();
      assertThat(rowOf(updater.v(), r).sumNumber().doubleValue()).isZero();
    }
  }

  @Test
  void aRowsStepCountAdvancesOnlyWhenTouched() {
    INDArray table = table(5);
    INDArray before = table.dup();
    INDArray g1 = Nd4j.randn(DataType.FLOAT, ROWS, WIDTH);
    INDArray g2 = Nd4j.randn(DataType.FLOAT, ROWS, WIDTH);
    LazyAdamUpdater updater = lazy(state());

    updater.updateRows(table, g1, new int[] {1, 2});
    updater.updateRows(table, g2, new int[] {1});

    // Row 1 took two steps, row 2 one: each is dense Adam over its own steps only.
    assertThat(table.getRow(1).toFloatVector())
        .containsExactly(
            denseAdam(
                before.getRow(1).toFloatVector(),
                g1.getRow(1).toFloatVector(),
                g2.getRow(1).toFloatVector()),
            within(1e-6f));
    assertThat(table.getRow(2).toFloatVector())
        .containsExactly(
            denseAdam(before.getRow(2).toFloatVector(), g1.getRow(2).toFloatVector()),
            within(1e-6f));
    assertThat(updater.steps().toFloatVector()).containsExactly(0f, 2f, 1f, 0f, 0f);
  }

  @Test
  void denseEntryTouchesTheRowsWithAGradient() {
    INDArray sparseTable = table(7);
    INDArray denseTable = sparseTable.dup();
    INDArray gradient = Nd4j.randn(DataType.FLOAT, ROWS, WIDTH);
    gradient.getRow(0).assign(0);
    gradient.getRow(4).assign(0);
    LazyAdamUpdater sparse = lazy(state());
    LazyAdamUpdater dense = lazy(state());

    sparse.updateRows(sparseTable, gradient, new int[] {1, 2, 3});
    INDArray update = gradient.dup().reshape(1, ROWS * WIDTH);
    dense.applyUpdater(update, 0, 0);
    denseTable.subi(update.reshape(ROWS, WIDTH));

    assertThat(denseTable).isEqualTo(sparseTable);
    assertThat(dense.steps()).isEqualTo(sparse.steps());
    assertThat(dense.m()).isEqualTo(sparse.m());
  }

  @Test
  void eachTableKeepsAnUpdaterBlockOfItsOwn() {
    LazyAdam items = LazyAdam.of(new Adam(LR), WIDTH, "itemEmb");
    LazyAdam output = LazyAdam.of(new Adam(LR), WIDTH, "outEmb");
    assertThat(items).isNotEqualTo(output).isEqualTo(items.clone());
    assertThat(items.stateSize(ROWS * WIDTH)).isEqualTo(2L * ROWS * WIDTH + ROWS);
  }

  private static INDArray rowOf(INDArray flat, int r) {
    return flat.get(NDArrayIndex.interval((long) r * WIDTH, (long) (r + 1) * WIDTH));
  }
}
