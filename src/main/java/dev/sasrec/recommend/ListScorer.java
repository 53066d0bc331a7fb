package dev.sasrec.recommend;

import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.io.Padding;
import dev.sasrec.model.Scorer;
import dev.sasrec.model.TopItems;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * Scores one partition's lists on an executor, lazily, a batch at a time: each history mapped into
 * the model's item indices (unknown items skipped and counted), the top K among all the model's
 * items from the inference path ({@link Scorer}, {@link TopItems}), and the output rows with the
 * model's item ids. What happens to every list is counted in accumulators, which the driver reads
 * for progress and stats.json.
 */
final class ListScorer implements FlatMapFunction<Iterator<LatestHistory>, Row> {

  private static final long serialVersionUID = 1L;

  /** Lists scored together: one [B, N+1] score block in the inference workspace. */
  static final int BATCH = 256;

  /** What the driver learns from the executors (accumulators: summed over finished tasks). */
  static final class Counters implements Serializable {
    private static final long serialVersionUID = 1L;
    final LongAccumulator lists;
    final LongAccumulator withRecommendations;
    final LongAccumulator noKnownItem;
    final LongAccumulator allItemsSeen;
    final LongAccumulator fewerThanK;
    final LongAccumulator recommendations;
    final LongAccumulator unknownItemsSkipped;

    Counters(org.apache.spark.SparkContext sc) {
      lists = sc.longAccumulator("recommend.lists");
      withRecommendations = sc.longAccumulator("recommend.listsWithRecommendations");
      noKnownItem = sc.longAccumulator("recommend.noKnownItem");
      allItemsSeen = sc.longAccumulator("recommend.allItemsSeen");
      fewerThanK = sc.longAccumulator("recommend.fewerThanK");
      recommendations = sc.longAccumulator("recommend.recommendations");
      unknownItemsSkipped = sc.longAccumulator("recommend.unknownItemsSkipped");
    }
  }

  private final Broadcast<ModelSnapshot> model;
  private final Broadcast<int[]> toModel;
  private final Broadcast<String[]> modelIds;
  private final int k;
  private final boolean excludeSeen;
  private final RecommendConfig.Layout layout;
  private final RecommendConfig.Per per;
  private final Counters counters;

  ListScorer(
      Broadcast<ModelSnapshot> model,
      Broadcast<int[]> toModel,
      Broadcast<String[]> modelIds,
      RecommendConfig config,
      Counters counters) {
    this.model = model;
    this.toModel = toModel;
    this.modelIds = modelIds;
    this.k = config.k();
    this.excludeSeen = config.excludeSeen();
    this.layout = config.layout();
    this.per = config.per();
    this.counters = counters;
  }

  @Override
  public Iterator<Row> call(Iterator<LatestHistory> lists) {
    ModelSnapshot snapshot = model.value();
    Scorer scorer = new Scorer(snapshot.model(), snapshot.views(), snapshot.categories().ofItem());
    int[] translation = toModel.value();
    String[] ids = modelIds.value();
    int maxLen = snapshot.config().maxLen();
    return new Iterator<>() {
      private final ArrayDeque<Row> ready = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && lists.hasNext()) {
          scoreBatch(lists, scorer, translation, ids, maxLen, ready);
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  /** Takes up to {@link #BATCH} lists, scores those with a known item and queues their rows. */
  private void scoreBatch(
      Iterator<LatestHistory> lists,
      Scorer scorer,
      int[] translation,
      String[] ids,
      int maxLen,
      ArrayDeque<Row> out) {
    List<LatestHistory> batch = new ArrayList<>(BATCH);
    List<int[]> sequences = new ArrayList<>(BATCH);
    List<int[]> excluded = new ArrayList<>(BATCH);
    while (batch.size() < BATCH && lists.hasNext()) {
      LatestHistory list = lists.next();
      counters.lists.add(1);
      int[] sequence = translate(list.sequence(), translation, true);
      if (sequence.length == 0) {
        counters.noKnownItem.add(1);
        continue;
      }
      batch.add(list);
      sequences.add(Padding.leftPad(sequence, maxLen));
      excluded.add(
          excludeSeen
              ? Padding.sortedDistinct(translate(list.seen(), translation, false))
              : new int[0]);
    }
    if (batch.isEmpty()) {
      return;
    }
    scorer.scores(
        model.value().features(sequences),
        (r, scores) ->
            emit(batch.get(r), TopItems.of(scores, k, excluded.get(r)), scores, ids, out));
  }

  /** A list's rows (or its one record) with the model's ids; an empty list is counted instead. */
  private void emit(
      LatestHistory list, int[] best, float[] scores, String[] ids, ArrayDeque<Row> out) {
    if (best.length == 0) {
      counters.allItemsSeen.add(1);
      return;
    }
    counters.withRecommendations.add(1);
    counters.recommendations.add(best.length);
    if (best.length < k) {
      counters.fewerThanK.add(1);
    }
    if (layout == RecommendConfig.Layout.ROWS) {
      for (int i = 0; i < best.length; i++) {
        out.add(
            RowFactory.create(
                list.userId,
                list.userIndex,
                list.session,
                i + 1,
                ids[best[i]],
                best[i],
                scores[best[i]]));
      }
      return;
    }
    String[] items = new String[best.length];
    float[] values = new float[best.length];
    for (int i = 0; i < best.length; i++) {
      items[i] = ids[best[i]];
      values[i] = scores[best[i]];
    }
    out.add(
        per == RecommendConfig.Per.SESSION
            ? RowFactory.create(list.userId, list.session, items, values)
            : RowFactory.create(list.userId, items, values));
  }

  /**
   * Input item indices as the model's, unknown ones left out (and counted when {@code count}: each
   * item of a scored sequence once).
   */
  private int[] translate(int[] items, int[] translation, boolean count) {
    int[] out = new int[items.length];
    int n = 0;
    for (int item : items) {
      int m = item > 0 && item < translation.length ? translation[item] : 0;
      if (m > 0) {
        out[n++] = m;
      } else if (count && item != Padding.PAD) {
        counters.unknownItemsSkipped.add(1);
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
