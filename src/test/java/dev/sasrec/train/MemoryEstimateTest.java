package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.config.CommandLine;
import dev.sasrec.config.Refusal;
import dev.sasrec.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

  private static final long GIB = 1L << 30;

  private static TrainConfig config(String... extra) {
    List<String> args = new ArrayList<>(List.of("--input", "/in", "--output", "/out"));
    args.addAll(List.of(extra));
    return TrainConfig.from(
        new CommandLine(TrainConfig.OPTIONS.load()).parse(args.toArray(String[]::new)).options());
  }

  private static ModelConfig model(TrainConfig config, int items) {
    return config.architecture().forData(items, 50, 0);
  }

  @Test
  void countsParametersAndLazyAdamState() {
    TrainConfig sparse = config();
    MemoryEstimate e = MemoryEstimate.of(model(sparse, 634_381), sparse, true);
    long tableRows = 634_382;
    long table = 4L * tableRows * 128;
    assertThat(e.parameters()).isGreaterThan(table).isLessThan(table + 4L * 1_000_000);
    // Adam: m and v of every parameter; lazy Adam adds a step count per item row.
    assertThat(e.updaterState()).isEqualTo(2 * e.parameters() + 4 * tableRows);
    TrainConfig dense = config("--item-updates", "dense");
    assertThat(MemoryEstimate.of(model(dense, 634_381), dense, true).updaterState())
        .isEqualTo(2 * e.parameters());
  }

  @Test
  void denseAveragingNeedsEveryWorkersStateOnTheHeap() {
    TrainConfig sparse = config();
    TrainConfig dense = config("--averaging", "dense");
    long sparseHeap = MemoryEstimate.of(model(sparse, 634_381), sparse, true).heapBytes();
    long denseHeap = MemoryEstimate.of(model(dense, 634_381), dense, true).heapBytes();
    assertThat(denseHeap).isGreaterThan(sparseHeap + GIB);
  }

  @Test
  void refusesLimitsThatCannotHoldIt() {
    TrainConfig c = config();
    MemoryEstimate e = MemoryEstimate.of(model(c, 634_381), c, true);
    assertThatThrownBy(() -> e.requireLocal(2 * GIB, 2 * GIB, 4 * GIB))
        .isInstanceOf(Refusal.class)
        .hasMessageStartingWith("Cannot train: the model needs about ")
        .hasMessageContaining("of native memory")
        .hasMessageContaining("this JVM may use 2.0 GiB (org.bytedeco.javacpp.maxBytes)")
        .hasMessageContaining("--driver-memory");
    assertThatThrownBy(() -> e.requireLocal(GIB / 4, 0, 0))
        .isInstanceOf(Refusal.class)
        .hasMessageContaining("of JVM heap");
    e.requireLocal(16 * GIB, 16 * GIB, 32 * GIB);
    MemoryEstimate small = MemoryEstimate.of(model(c, 3416), c, true);
    small.requireLocal(GIB, 2 * GIB, 4 * GIB);
  }
}
