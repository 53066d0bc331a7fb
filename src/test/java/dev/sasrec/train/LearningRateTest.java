package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sasrec.config.UsageException;
import dev.sasrec.train.LearningRate.Schedule;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class LearningRateTest {

  private static final double EXACT = 1e-15;

  @Test
  void aConstantRateIsThePeakInEveryEpoch() {
    LearningRate rate = new LearningRate(0.001, Schedule.CONSTANT, 3);
    assertThat(IntStream.rangeClosed(1, 3).mapToDouble(rate::at)).containsOnly(0.001);
  }

  @Test
  void theCosineStartsAtThePeakIsHalfwayAtTheMiddleAndEndsNearZero() {
    LearningRate rate = new LearningRate(0.002, Schedule.COSINE, 20);
    assertThat(rate.at(1)).isEqualTo(0.002);
    // (e - 1) / E = 1/2 at epoch 11: cos(π/2) = 0.
    assertThat(rate.at(11)).isCloseTo(0.001, within(EXACT));
    // 0.002 · ½ · (1 + cos(19π/20)) = 0.001 · (1 − 0.987688…)
    assertThat(rate.at(20)).isCloseTo(0.001 * (1 - 0.9876883405951378), within(EXACT));
    for (int e = 2; e <= 20; e++) {
      assertThat(rate.at(e)).isLessThan(rate.at(e - 1)).isPositive();
    }
  }

  @Test
  void aTwoEpochCosineHalvesTheRateInTheSecondEpoch() {
    assertThat(new LearningRate(0.005, Schedule.COSINE, 2).at(2)).isCloseTo(0.0025, within(EXACT));
  }

  @Test
  void applyingSetsTheRateTheWorkersAndTheUpdaterReadAndKeepsAdamsState() {
    MultiLayerNetwork net = TinyNetwork.create(0.002);
    INDArray state = net.getUpdater().getStateViewArray();
    state.assign(0.25);
    INDArray before = state.dup();
    LearningRate rate = new LearningRate(0.002, Schedule.COSINE, 2);

    assertThat(rate.apply(net, 2)).isEqualTo(0.001);

    assertThat(net.getLearningRate(0)).isEqualTo(0.001);
    // The configuration the parameter-averaging fit sends to the workers.
    assertThat(net.getLayerWiseConfigurations().toJson()).contains("\"learningRate\" : 0.001");
    MultiLayerUpdater updater = (MultiLayerUpdater) net.getUpdater();
    assertThat(updater.getUpdaterBlocks())
        .allSatisfy(
            block ->
                assertThat(block.getGradientUpdater().getConfig().getLearningRate(0, 0))
                    .isEqualTo(0.001));
    assertThat(updater.getStateViewArray()).isSameAs(state).isEqualTo(before);
  }

  @Test
  void anEpochOutsideTheRunIsRefused() {
    LearningRate rate = new LearningRate(0.001, Schedule.COSINE, 5);
    assertThatThrownBy(() -> rate.at(6))
        .hasMessage("Cannot give the learning rate: epoch 6 is outside 1..5");
    assertThatThrownBy(() -> rate.at(0)).hasMessageContaining("epoch 0 is outside");
  }

  @Test
  void aRateThatIsNotPositiveIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> new LearningRate(0, Schedule.CONSTANT, 1))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--lr")
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> new LearningRate(Double.NaN, Schedule.COSINE, 1))
        .isInstanceOf(UsageException.class);
  }

  @Test
  void itReadsAsThePlanPrintsIt() {
    assertThat(new LearningRate(0.002, Schedule.COSINE, 20))
        .hasToString("0.002, cosine over 20 epochs");
    assertThat(new LearningRate(0.001, Schedule.CONSTANT, 20)).hasToString("0.001 (constant)");
  }
}
