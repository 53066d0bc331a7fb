package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BuffersTest {

  /** Repeated ids, the padding row and the last row. */
  private static final int[] IDS = {3, 0, 3, 5, 1, 3};

  private static final int TABLE_ROWS = 6;
  private static final int WIDTH = 4;

  @Test
  void addRowsAddsEveryRowAsNd4jsScatterDoesInBothPrecisions() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      Nd4j.getRandom().setSeed(7);
      INDArray table = Nd4j.rand(type, TABLE_ROWS, WIDTH);
      INDArray rows = Nd4j.rand(type, IDS.length, WIDTH);
      INDArray expected = table.dup();
      Nd4j.scatterUpdate(
          ScatterUpdate.UpdateOp.ADD, expected, Nd4j.createFromArray(IDS), rows.mul(2.5), 1);
      Buffers.addRows(table, IDS, rows, 2.5);
      assertThat(table.equalsWithEps(expected, 1e-6)).as("%s", type).isTrue();
    }
  }

  @Test
  void addRowsWritesIntoAViewOfAFlatGradientAndNowhereElse() {
    // As ParamLayout lays gradients out: the table is an interval of one flat vector.
    INDArray flat = Nd4j.zeros(DataType.FLOAT, 3 + TABLE_ROWS * WIDTH + 5);
    INDArray table =
        flat.get(NDArrayIndex.interval(3, 3 + TABLE_ROWS * WIDTH)).reshape(TABLE_ROWS, WIDTH);
    INDArray ones = Nd4j.ones(DataType.FLOAT, IDS.length, WIDTH);
    Buffers.addRows(table, IDS, ones, 1);
    assertThat(table.getRow(3).toFloatVector()).containsOnly(3f);
    assertThat(table.getRow(2).toFloatVector()).containsOnly(0f);
    assertThat(flat.get(NDArrayIndex.interval(0, 3)).toFloatVector()).containsOnly(0f);
    assertThat(flat.sumNumber().doubleValue()).isEqualTo(IDS.length * WIDTH);
  }

  @Test
  void rowsThatAreNotRowMajorAreCopiedFirst() {
    INDArray table = Nd4j.zeros(DataType.FLOAT, TABLE_ROWS, WIDTH);
    INDArray rows = Nd4j.rand(DataType.FLOAT, WIDTH, IDS.length).transpose();
    INDArray expected = table.dup();
    Nd4j.scatterUpdate(
        ScatterUpdate.UpdateOp.ADD, expected, Nd4j.createFromArray(IDS), rows.dup('c'), 1);
    Buffers.addRows(table, IDS, rows, 1);
    assertThat(table.equalsWithEps(expected, 1e-6)).isTrue();
  }

  @Test
  void anIdOutsideTheTableIsRefusedBeforeAnythingIsWritten() {
    INDArray table = Nd4j.zeros(DataType.FLOAT, TABLE_ROWS, WIDTH);
    INDArray rows = Nd4j.ones(DataType.FLOAT, 2, WIDTH);
    assertThatThrownBy(() -> Buffers.addRows(table, new int[] {1, TABLE_ROWS}, rows, 1))
        .hasMessage("Cannot add rows: id 6 is outside the table's 6 rows");
    assertThat(table.sumNumber().doubleValue()).isZero();
  }
}
