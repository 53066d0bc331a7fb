package dev.sasrec.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import dev.sasrec.io.Padding;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Collects encoded events into ordered sequences and expands them into split examples. */
public final class SequenceBuilder {

  /** Item indices of a sequence in order (array of int). */
  public static final String SEQUENCE_ITEMS = "sequence_items";

  /** Event times of a sequence in order (array of long, epoch ms). */
  public static final String SEQUENCE_TIMES = "sequence_times";

  /** The split an example belongs to (train, validation, test). */
  public static final String SPLIT = "split";

  /** The example rows: {@link SequenceSchema} plus {@link #SPLIT}. */
  public static final StructType EXAMPLE_SCHEMA =
      SequenceSchema.SCHEMA.add(SPLIT, DataTypes.StringType, false);

  private SequenceBuilder() {}

  /**
   * One row per (user, session): user_index, user_id, session, sequence_items, sequence_times, of
   * the session's {@code maxEvents} most recent events: no row holds a heavy user's whole history.
   * Expects user_index, item_index, the raw user, session, position and session length columns.
   */
  public static Dataset<Row> sequences(
      Dataset<Row> encoded, String userIndexColumn, String itemIndexColumn, int maxEvents) {
    String events = "events";
    return encoded
        .filter(Sessionizer.withinCap(maxEvents))
        .groupBy(col(userIndexColumn), col(EventColumns.USER), col(EventColumns.SESSION))
        .agg(
            sort_array(
                    collect_list(
                        struct(
                            col(EventColumns.POSITION),
                            col(itemIndexColumn).as("item"),
                            col(EventColumns.TS).as("ts"))))
                .as(events))
        .select(
            col(userIndexColumn).as(SequenceSchema.USER_INDEX),
            col(EventColumns.USER).as(SequenceSchema.USER_ID),
            col(EventColumns.SESSION).as(SequenceSchema.SESSION),
            expr("transform(" + events + ", e -> e.item)").as(SEQUENCE_ITEMS),
            expr("transform(" + events + ", e -> e.ts)").as(SEQUENCE_TIMES));
  }

  /** Expands sequences into examples with padded inputs and targets ({@link #EXAMPLE_SCHEMA}). */
  public static Dataset<Row> examples(Dataset<Row> sequences, SplitPlanner planner, int maxLen) {
    FlatMapFunction<Row, Row> expand =
        row -> {
          int userIndex = row.getInt(row.fieldIndex(SequenceSchema.USER_INDEX));
          String userId = row.getString(row.fieldIndex(SequenceSchema.USER_ID));
          int session = row.getInt(row.fieldIndex(SequenceSchema.SESSION));
          List<Row> out = new ArrayList<>(3);
          for (SplitPlanner.Example example : plan(row, planner)) {
            out.add(toRow(userIndex, userId, session, example, maxLen));
          }
          return out.iterator();
        };
    return sequences.flatMap(expand, Encoders.row(EXAMPLE_SCHEMA));
  }

  /**
   * What {@link #examples} would give, counted without building a row: examples per split (in
   * {@link Split} order), sequences with at least one example, and inputs longer than {@code
   * maxLen} (truncated). One pass over the sequences, no shuffle.
   */
  public static ExampleCounts exampleCounts(
      Dataset<Row> sequences, SplitPlanner planner, int maxLen) {
    // Plain long arrays cross the executors: Kryo cannot build a record.
    long[] sums =
        sequences
            .javaRDD()
            .map(row -> ExampleCounts.of(plan(row, planner), maxLen).toArray())
            .fold(ExampleCounts.ZERO.toArray(), SequenceBuilder::add);
    return ExampleCounts.fromArray(sums);
  }

  /**
   * The same counts from the number of sequences of each length, with no pass over the data: for a
   * split that does not read the times ({@link SplitPlanner#readsTimes}), a sequence's examples
   * depend on its length alone.
   */
  public static ExampleCounts exampleCounts(
      Map<Integer, Long> sequencesPerLength, SplitPlanner planner, int maxLen) {
    if (planner.readsTimes()) {
      throw new IllegalArgumentException(
          "Cannot count examples from lengths: the split reads the events' times");
    }
    long[] sums = ExampleCounts.ZERO.toArray();
    sequencesPerLength.forEach(
        (length, sequences) -> {
          long[] one =
              ExampleCounts.of(planner.plan(new int[length], new long[length]), maxLen).toArray();
          for (int i = 0; i < sums.length; i++) {
            sums[i] += one[i] * sequences;
          }
        });
    return ExampleCounts.fromArray(sums);
  }

  /** The examples of one sequence row. */
  private static List<SplitPlanner.Example> plan(Row row, SplitPlanner planner) {
    List<Integer> itemList = row.getList(row.fieldIndex(SEQUENCE_ITEMS));
    List<Long> timeList = row.getList(row.fieldIndex(SEQUENCE_TIMES));
    int[] items = itemList.stream().mapToInt(Integer::intValue).toArray();
    long[] times = timeList.stream().mapToLong(Long::longValue).toArray();
    return planner.plan(items, times);
  }

  private static long[] add(long[] a, long[] b) {
    long[] sum = new long[a.length];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = a[i] + b[i];
    }
    return sum;
  }

  /** Example counts ({@link #exampleCounts}). */
  public record ExampleCounts(
      long train, long validation, long test, long sequencesWithExamples, long truncated) {

    public static final ExampleCounts ZERO = new ExampleCounts(0, 0, 0, 0, 0);

    static ExampleCounts of(List<SplitPlanner.Example> examples, int maxLen) {
      long[] perSplit = new long[Split.values().length];
      long truncated = 0;
      for (SplitPlanner.Example e : examples) {
        perSplit[e.split().ordinal()]++;
        if (e.input().length > maxLen) {
          truncated++;
        }
      }
      return new ExampleCounts(
          perSplit[Split.TRAIN.ordinal()],
          perSplit[Split.VALIDATION.ordinal()],
          perSplit[Split.TEST.ordinal()],
          examples.isEmpty() ? 0 : 1,
          truncated);
    }

    long[] toArray() {
      return new long[] {train, validation, test, sequencesWithExamples, truncated};
    }

    static ExampleCounts fromArray(long[] a) {
      return new ExampleCounts(a[0], a[1], a[2], a[3], a[4]);
    }

    public long of(Split split) {
      return switch (split) {
        case TRAIN -> train;
        case VALIDATION -> validation;
        case TEST -> test;
      };
    }
  }

  static Row toRow(
      int userIndex, String userId, int session, SplitPlanner.Example example, int maxLen) {
    int[] input = example.input();
    int[] next = new int[input.length];
    System.arraycopy(input, 1, next, 0, input.length - 1);
    next[input.length - 1] = example.target();
    return RowFactory.create(
        userIndex,
        userId,
        session,
        Padding.leftPad(input, maxLen),
        Padding.leftPad(next, maxLen),
        example.target(),
        Padding.sortedDistinct(input),
        input.length,
        example.split().dirName());
  }
}
