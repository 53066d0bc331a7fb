package dev.sasrec.train;

import dev.sasrec.eval.ExampleRow;
import dev.sasrec.eval.NegativeSampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns training examples into DL4J DataSets on the executors. Features: [B, L] item ids; labels:
 * [B, 2L], the next item at each position then one negative per position, drawn anew each epoch,
 * uniformly over items the user has not seen, from (seed, epoch, row) alone.
 */
public final class TrainingBatches {

  private TrainingBatches() {}

  public static JavaRDD<DataSet> forEpoch(
      JavaRDD<ExampleRow> rows, int numItems, int batchSize, long seed, int epoch) {
    return rows.mapPartitions(new ToBatches(numItems, batchSize, seed, epoch));
  }

  /** Builds one batch of rows: exposed for tests. */
  public static DataSet batch(
      List<ExampleRow> rows, NegativeSampler sampler, long seed, int epoch) {
    int length = rows.get(0).items().length;
    float[][] features = new float[rows.size()][length];
    float[][] labels = new float[rows.size()][2 * length];
    for (int r = 0; r < rows.size(); r++) {
      ExampleRow row = rows.get(r);
      SplittableRandom random = NegativeSampler.randomFor(seed, epoch, row.key());
      int[] targets = row.targets();
      for (int t = 0; t < length; t++) {
        features[r][t] = row.items()[t];
        labels[r][t] = targets[t];
        if (targets[t] != 0) {
          labels[r][length + t] = sampler.sample(random, row.history(), targets);
        }
      }
    }
    return new DataSet(Nd4j.create(features), Nd4j.create(labels));
  }

  /** Groups a partition's rows into batches. */
  static final class ToBatches implements FlatMapFunction<Iterator<ExampleRow>, DataSet> {
    private final int numItems;
    private final int batchSize;
    private final long seed;
    private final int epoch;

    ToBatches(int numItems, int batchSize, long seed, int epoch) {
      this.numItems = numItems;
      this.batchSize = batchSize;
      this.seed = seed;
      this.epoch = epoch;
    }

    @Override
    public Iterator<DataSet> call(Iterator<ExampleRow> rows) {
      NegativeSampler sampler = new NegativeSampler(numItems);
      List<DataSet> out = new ArrayList<>();
      List<ExampleRow> batch = new ArrayList<>(batchSize);
      while (rows.hasNext()) {
        batch.add(rows.next());
        if (batch.size() == batchSize || !rows.hasNext()) {
          out.add(batch(batch, sampler, seed, epoch));
          batch.clear();
        }
      }
      return out.iterator();
    }
  }
}
