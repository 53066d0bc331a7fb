package dev.sasrec.model;

import java.util.SplittableRandom;

/**
 * The random streams of a run, one per purpose and epoch, all derived from the run's seed ({@code
 * --seed}): the same seed gives the same run, and no two streams share their draws.
 *
 * <p>Why by construction: a stream's seed is {@code mix(mix(seed) ^ pack(purpose, epoch))}, where
 * {@code pack} puts the purpose in the high 32 bits and the epoch in the low 32 bits (injective)
 * and SplitMix64's finalizer {@code mix} is a bijection of 64-bit values; so two different
 * (purpose, epoch) pairs of one run can never get the same stream seed. Within a stream, a key (a
 * row, or a worker's iteration) is mixed in the same way, so two keys of one stream never share a
 * seed either. Seeds of different streams and keys are unrelated 64-bit values (equal with
 * probability 2⁻⁶⁴). Before, training passed the epoch as the sampler's purpose, and epochs 81 and
 * 82 drew the validation and ranking negatives (issue 11).
 */
public final class RandomStreams {

  /** What a stream is drawn for. Append new purposes: the ordinal is part of every seed. */
  public enum Purpose {
    /** The negatives of the training batches, drawn anew each epoch. */
    TRAINING_NEGATIVES,
    /** The negative of each validation row's loss and accuracy (the same every epoch). */
    VALIDATION_NEGATIVES,
    /** The 100 sampled candidates of each validation row's ranking (the same every epoch). */
    VALIDATION_RANKING,
    /** The negative of each test row's loss and accuracy. */
    TEST_NEGATIVES,
    /** The 100 sampled candidates of each test row's ranking. */
    TEST_RANKING,
    /** Dropout masks, per epoch, keyed by worker and iteration. */
    DROPOUT,
    /** The order validation examples are sampled in (the same every epoch). */
    VALIDATION_SAMPLE
  }

  /** The epoch of the streams that do not change between epochs (validation, test). */
  public static final int EVERY_EPOCH = 0;

  private RandomStreams() {}

  /** The seed of stream (purpose, epoch) of a run. */
  public static long streamSeed(long seed, Purpose purpose, int epoch) {
    long packed = ((long) purpose.ordinal() << 32) | (epoch & 0xFFFF_FFFFL);
    return mix(mix(seed) ^ packed);
  }

  /** The seed of key {@code key} (a row, a worker's iteration) within stream (purpose, epoch). */
  public static long seed(long seed, Purpose purpose, int epoch, long key) {
    return mix(streamSeed(seed, purpose, epoch) ^ mix(key));
  }

  /** The draws of key {@code key} within stream (purpose, epoch). */
  public static SplittableRandom random(long seed, Purpose purpose, int epoch, long key) {
    return new SplittableRandom(seed(seed, purpose, epoch, key));
  }

  /** SplitMix64's finalizer: a bijection of 64-bit values that spreads nearby inputs apart. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
