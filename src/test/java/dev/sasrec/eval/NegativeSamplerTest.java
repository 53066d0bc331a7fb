package dev.sasrec.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NegativeSamplerTest {

  @Test
  void negativesAvoidTheHistoryAndThePositives() {
    NegativeSampler sampler = new NegativeSampler(10);
    int[] history = {1, 2, 3, 4, 5, 6};
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 500; i++) {
      int item = sampler.sample(random, history, new int[] {7, 8});
      assertThat(item).isIn(9, 10);
    }
  }

  @Test
  void theSameStreamGivesTheSameDraws() {
    NegativeSampler sampler = new NegativeSampler(1000);
    int[] a = sampler.sampleDistinct(new SplittableRandom(42), new int[] {3}, 9, 100);
    int[] b = sampler.sampleDistinct(new SplittableRandom(42), new int[] {3}, 9, 100);
    int[] c = sampler.sampleDistinct(new SplittableRandom(43), new int[] {3}, 9, 100);
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
    assertThat(Arrays.stream(a).distinct().count()).isEqualTo(100);
    assertThat(a).doesNotContain(3, 9, 0);
  }

  @Test
  void fewerUnseenItemsThanAskedGivesAllOfThem() {
    NegativeSampler sampler = new NegativeSampler(5);
    int[] all = sampler.sampleDistinct(new SplittableRandom(1), new int[] {1, 2}, 3, 100);
    assertThat(all).containsExactlyInAnyOrder(4, 5);
  }
}
