package dev.sasrec.recommend;

import dev.sasrec.io.Padding;
import dev.sasrec.io.SequenceSchema;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One example of a Preprocess output with what Recommend needs of it, in the output's item indices:
 * the example's keys, its split's rank (train 0, validation 1, test 2: later splits hold later
 * examples) and the items. A plain class rather than a record: Kryo 4, which shuffles it, cannot
 * set a record's fields.
 */
final class LatestHistory implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Columns read from the sequences: nothing else is loaded. */
  static final List<String> COLUMNS =
      List.of(
          SequenceSchema.USER_INDEX,
          SequenceSchema.USER_ID,
          SequenceSchema.SESSION,
          SequenceSchema.ITEMS,
          SequenceSchema.TARGET,
          SequenceSchema.HISTORY);

  final int userIndex;
  final String userId;
  final int session;
  final int splitRank;
  final int[] items;
  final int target;
  final int[] history;

  LatestHistory(
      int userIndex,
      String userId,
      int session,
      int splitRank,
      int[] items,
      int target,
      int[] history) {
    this.userIndex = userIndex;
    this.userId = userId;
    this.session = session;
    this.splitRank = splitRank;
    this.items = items;
    this.target = target;
    this.history = history;
  }

  /** A row of {@link #COLUMNS} (in that order) from the split of rank {@code splitRank}. */
  static LatestHistory of(Row r, int splitRank) {
    return new LatestHistory(
        r.getInt(0),
        r.getString(1),
        r.getInt(2),
        splitRank,
        ints(r.getList(3)),
        r.getInt(4),
        ints(r.getList(5)));
  }

  /** The list this example belongs to: its user, or its user's session. */
  long key(RecommendConfig.Per per) {
    return per == RecommendConfig.Per.USER ? userIndex : ((long) userIndex << 32) | session;
  }

  /**
   * The later of two examples of the same list: per user the later session, then the later split;
   * per session the later split.
   */
  static LatestHistory later(LatestHistory a, LatestHistory b) {
    if (a.session != b.session) {
      return a.session > b.session ? a : b;
    }
    return a.splitRank >= b.splitRank ? a : b;
  }

  /** The whole latest sequence: the input without padding, then the target. */
  int[] sequence() {
    int[] input = Arrays.stream(items).filter(i -> i != Padding.PAD).toArray();
    int[] full = Arrays.copyOf(input, input.length + 1);
    full[input.length] = target;
    return full;
  }

  /** Items the user has interacted with in the list: the history and the target. */
  int[] seen() {
    int[] all = Arrays.copyOf(history, history.length + 1);
    all[history.length] = target;
    return all;
  }

  private static int[] ints(List<Integer> values) {
    int[] out = new int[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
