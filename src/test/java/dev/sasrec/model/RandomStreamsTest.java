package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.model.RandomStreams.Purpose;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {

  private static final int EPOCHS = 10_000;

  @Test
  void noTwoPurposeAndEpochStreamsCoincideOverTenThousandEpochs() {
    for (long seed : new long[] {42, 1, 0, -1}) {
      Set<Long> streamSeeds = new HashSet<>();
      Set<Long> firstDraws = new HashSet<>();
      int streams = 0;
      for (Purpose purpose : Purpose.values()) {
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
          streams++;
          streamSeeds.add(RandomStreams.streamSeed(seed, purpose, epoch));
          // The same row of every stream: its draws must differ from stream to stream.
          firstDraws.add(RandomStreams.random(seed, purpose, epoch, 7).nextLong());
        }
        streams++;
        streamSeeds.add(RandomStreams.streamSeed(seed, purpose, RandomStreams.EVERY_EPOCH));
        firstDraws.add(
            RandomStreams.random(seed, purpose, RandomStreams.EVERY_EPOCH, 7).nextLong());
      }
      assertThat(streamSeeds).as("stream seeds of run seed %d", seed).hasSize(streams);
      assertThat(firstDraws).as("first draws of run seed %d", seed).hasSize(streams);
    }
  }

  @Test
  void trainingNegativesNeverReuseTheValidationOrRankingStreams() {
    // Issue 11: training passed the epoch as the purpose, so epochs 81 and 82 (0x51, 0x52) drew
    // the validation loss negatives and the ranking candidates.
    Set<Long> heldOut = new HashSet<>();
    for (Purpose p :
        new Purpose[] {
          Purpose.VALIDATION_NEGATIVES,
          Purpose.VALIDATION_RANKING,
          Purpose.TEST_NEGATIVES,
          Purpose.TEST_RANKING
        }) {
      for (long row = 0; row < 1000; row++) {
        heldOut.add(RandomStreams.seed(42, p, RandomStreams.EVERY_EPOCH, row));
      }
    }
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
      for (long row = 0; row < 3; row++) {
        assertThat(heldOut)
            .doesNotContain(RandomStreams.seed(42, Purpose.TRAINING_NEGATIVES, epoch, row));
      }
    }
  }

  @Test
  void rowsOfOneStreamGetTheirOwnSeedsAndTheSameRowTheSameDraws() {
    Set<Long> seeds = new HashSet<>();
    for (long row = 0; row < 100_000; row++) {
      seeds.add(RandomStreams.seed(42, Purpose.TRAINING_NEGATIVES, 3, row));
    }
    assertThat(seeds).hasSize(100_000);
    assertThat(RandomStreams.random(42, Purpose.DROPOUT, 2, 9).nextLong())
        .isEqualTo(RandomStreams.random(42, Purpose.DROPOUT, 2, 9).nextLong())
        .isNotEqualTo(RandomStreams.random(43, Purpose.DROPOUT, 2, 9).nextLong());
  }
}
