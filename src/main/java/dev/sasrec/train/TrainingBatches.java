package dev.sasrec.train;

import dev.sasrec.eval.Batching;
import dev.sasrec.eval.NegativeSampler;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.io.Padding;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.LabelLayout;
import dev.sasrec.model.Objective;
import dev.sasrec.model.RandomStreams;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns training examples into DL4J DataSets on the executors. Features: [B, L] item ids (CAFE:
 * then their L categories); labels as {@link LabelLayout} lays them out for the objective: the next
 * item at each position, then one negative per position (gBCE: K negatives per row), drawn anew
 * each epoch, uniformly over items the user has not seen, from (seed, epoch, row) alone; CAFE adds
 * the next item's category and a negative category per position.
 */
public final class TrainingBatches {

  private TrainingBatches() {}

  /** Builds one batch of rows: exposed for tests. */
  public static DataSet batch(
      List<ExampleRow> rows,
      NegativeSampler sampler,
      Objective objective,
      ItemCategories categories,
      long seed,
      int epoch) {
    int length = rows.get(0).items().length;
    boolean cafe = categories.present();
    LabelLayout layout = LabelLayout.of(objective, length, cafe);
    float[][] features = new float[rows.size()][];
    float[][] labels = new float[rows.size()][layout.columns()];
    for (int r = 0; r < rows.size(); r++) {
      ExampleRow row = rows.get(r);
      float[] label = labels[r];
      SplittableRandom random =
          RandomStreams.random(seed, RandomStreams.Purpose.TRAINING_NEGATIVES, epoch, row.key());
      int[] targets = row.targets();
      features[r] = categories.features(row.items());
      for (int t = 0; t < length; t++) {
        label[layout.positive(t)] = targets[t];
        if (targets[t] != 0 && layout.kind() != LabelLayout.Kind.GBCE) {
          label[layout.negative(t)] = sampler.sample(random, row.history(), targets);
        }
      }
      if (cafe) {
        for (int t = 0; t < length; t++) {
          if (targets[t] != 0) {
            int positive = categories.of(targets[t]);
            label[layout.positiveCategory(t)] = positive;
            label[layout.negativeCategory(t)] = categories.negative(random, positive);
          }
        }
      }
      if (layout.kind() == LabelLayout.Kind.GBCE) {
        int[] negatives =
            sampler.sampleDistinct(
                random, unionSorted(row.history(), targets), 0, layout.negatives());
        for (int j = 0; j < layout.negatives(); j++) {
          // Fewer unseen items than K (tiny catalogues): repeat the ones there are.
          label[layout.rowNegative(j)] =
              negatives.length == 0 ? 1 : negatives[j % negatives.length];
        }
      }
    }
    return new DataSet(Nd4j.create(features), Nd4j.create(labels));
  }

  private static int[] unionSorted(int[] a, int[] b) {
    int[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return Padding.sortedDistinct(all);
  }

  /**
   * An epoch's batches of a partition's rows, on the executors: {@code rows.mapPartitions(new
   * ForEpoch(...))}.
   */
  record ForEpoch(
      int numItems,
      Objective objective,
      ItemCategories categories,
      int batchSize,
      long seed,
      int epoch)
      implements FlatMapFunction<Iterator<ExampleRow>, DataSet> {

    @Override
    public Iterator<DataSet> call(Iterator<ExampleRow> rows) {
      NegativeSampler sampler = new NegativeSampler(numItems);
      List<DataSet> out = new ArrayList<>();
      Batching.forEachBatch(
          rows,
          batchSize,
          batch -> out.add(batch(batch, sampler, objective, categories, seed, epoch)));
      return out.iterator();
    }
  }
}
