package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Broadcasts computed as ND4J's own row and column vector ops, with operands kept reachable. */
class BroadcastTest {

  /** ND4J calls that let an operand be collected during the native call (see {@link Broadcast}). */
  private static final Pattern UNSAFE_CALL =
      Pattern.compile("\\.(add|sub|mul|div|rsub|rdiv)i?(Row|Column)Vector\\(|Nd4j\\.pullRows\\(");

  private static INDArray matrix() {
    return Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
  }

  @Test
  void addRowAddsTheRowToEveryRowInPlace() {
    INDArray m = matrix();
    INDArray row = Nd4j.createFromArray(new float[] {10, 20, 30});
    INDArray expected = matrix().addiRowVector(row);
    assertThat(Broadcast.addRow(m, row)).isSameAs(m).isEqualTo(expected);
    assertThat(m.toFloatMatrix()).isEqualTo(new float[][] {{11, 22, 33}, {14, 25, 36}});
  }

  @Test
  void aRowThatIsAViewWithAnOffsetIsRead() {
    INDArray table = Nd4j.createFromArray(new float[] {0, 1, 2, 3, 4}).reshape(1, 5);
    INDArray row = table.get(NDArrayIndex.point(0), NDArrayIndex.interval(2, 5)); // 2, 3, 4
    assertThat(Broadcast.addRow(matrix(), row).toFloatMatrix())
        .isEqualTo(new float[][] {{3, 5, 7}, {6, 8, 10}});
  }

  @Test
  void columnOpsUseOneValuePerRow() {
    INDArray column = Nd4j.createFromArray(new float[][] {{2}, {4}});
    assertThat(Broadcast.mulColumn(matrix(), column)).isEqualTo(matrix().muliColumnVector(column));
    assertThat(Broadcast.subColumn(matrix(), column)).isEqualTo(matrix().subiColumnVector(column));
    assertThat(Broadcast.divColumn(matrix(), column)).isEqualTo(matrix().diviColumnVector(column));
    assertThat(Broadcast.divColumn(matrix(), column).toFloatMatrix())
        .isEqualTo(new float[][] {{0.5f, 1, 1.5f}, {1, 1.25f, 1.5f}});
  }

  @Test
  void timesColumnLeavesTheMatrixAsItWas() {
    INDArray m = matrix();
    INDArray product = Broadcast.timesColumn(m, Nd4j.createFromArray(new float[][] {{-1}, {3}}));
    assertThat(product.toFloatMatrix()).isEqualTo(new float[][] {{-1, -2, -3}, {12, 15, 18}});
    assertThat(m).isEqualTo(matrix());
  }

  @Test
  void aVectorInsideTheMatrixIsReadBeforeTheMatrixChanges() {
    INDArray m = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}).castTo(DataType.DOUBLE);
    INDArray firstRow = m.getRow(0); // a view of m's own buffer
    Broadcast.addRow(m, firstRow);
    assertThat(m.toDoubleMatrix()).isEqualTo(new double[][] {{2, 4}, {4, 6}});
  }

  @Test
  void theMainCodeCallsNoNd4jOpThatLetsItsOperandsBeCollected() throws IOException {
    List<String> offenders;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      offenders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .flatMap(BroadcastTest::unsafeLines)
              .toList();
    }
    assertThat(offenders).isEmpty();
  }

  private static Stream<String> unsafeLines(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return java.util.stream.IntStream.range(0, lines.size())
          .filter(i -> UNSAFE_CALL.matcher(lines.get(i)).find())
          .mapToObj(i -> file + ":" + (i + 1) + ": " + lines.get(i).strip());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + file, e);
    }
  }
}
