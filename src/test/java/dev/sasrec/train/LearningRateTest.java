package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sasrec.config.UsageException;
import dev.sasrec.train.LearningRate.Schedule;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

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
