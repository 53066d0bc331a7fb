package dev.sasrec.preprocess;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;

import dev.sasrec.data.EventColumns;
import dev.sasrec.data.ItemCategoryTable;
import dev.sasrec.data.SequenceBuilder;
import dev.sasrec.data.SplitPlanner;
import dev.sasrec.data.Vocabulary;
import dev.sasrec.io.AtomicFile;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.Split;
import dev.sasrec.io.Vocabularies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Preprocess's steps from the kept events to the written tables: vocabularies, item categories,
 * sequences, split examples. Each returns an immutable record of what it made: its data (cached for
 * the next step) and its counts, which {@link PreprocessJob} puts into the stats. Each says when it
 * starts and ends ({@link Progress}).
 */
final class SequenceSteps {

  // Names of the aggregates the steps read back.
  private static final String ITEMS = "items";
  private static final String LENGTH = "length";
  private static final String SEQUENCES = "sequences";
  private static final String FIRST_MILLIS = "first_millis";
  private static final String LAST_MILLIS = "last_millis";

  /** The item and user vocabularies (cached), the item popularity histogram and the counts. */
  record Vocabs(
      Dataset<Row> items,
      Dataset<Row> users,
      List<PreprocessProfile.CountBin> popularity,
      long itemCount,
      long userCount) {

    Vocabs {
      popularity = List.copyOf(popularity);
    }
  }

  /** One row per (user, session), cached; its length histogram and first and last event time. */
  record Sequences(
      Dataset<Row> data, PreprocessProfile profile, long firstMillis, long lastMillis) {}

  /**
   * The examples written, per split; how many sequences gave one at all and how many inputs were
   * truncated to --max-len.
   */
  record Examples(Map<Split, Long> perSplit, long sequencesWithExamples, long truncated) {

    Examples {
      perSplit = Collections.unmodifiableMap(new EnumMap<>(perSplit));
    }
  }

  /**
   * Item vocabularies up to this many ids are broadcast to every task rather than the whole log
   * shuffled by item; a larger one is left to Spark's choice of join.
   */
  static final long MAX_BROADCAST_ITEMS = 4_000_000;

  private final SparkSession spark;
  private final Progress progress;

  SequenceSteps(SparkSession spark, Progress progress) {
    this.spark = spark;
    this.progress = progress;
  }

  Vocabs buildVocabularies(Dataset<Row> kept, PreprocessLayout layout) {
    Progress.Step step = progress.start("Build vocabularies");
    Vocabulary vocabulary = Vocabulary.float32Exact(spark);
    // The user vocabulary is built and written on a thread of its own beside the item one: each is
    // a chain of small Spark jobs, and one's planning on the driver overlaps the other's tasks.
    Beside<Dataset<Row>> building =
        Beside.start(
            "sasrec-user-vocabulary",
            () -> written(vocabulary.build(kept, EventColumns.USER, "user"), layout.users()));
    Dataset<Row> items;
    List<PreprocessProfile.CountBin> popularity;
    try {
      items = written(vocabulary.build(kept, EventColumns.ITEM, "item"), layout.items());
      // The popularity histogram also gives the item count: no separate count job.
      popularity = itemPopularity(items);
    } catch (RuntimeException e) {
      building.abandon(e);
      throw e;
    }
    Dataset<Row> users = building.result();
    long itemCount = popularity.stream().mapToLong(PreprocessProfile.CountBin::items).sum();
    long userCount = users.count();
    step.done("%,d items, %,d users", itemCount, userCount);
    return new Vocabs(items, users, popularity, itemCount, userCount);
  }

  /** With --item-meta: each item's category, written beside the vocabularies. */
  Optional<ItemCategoryTable.Built> itemCategories(
      PreprocessConfig config, Vocabs vocabs, PreprocessLayout layout) {
    return config
        .itemMeta()
        .map(
            meta -> {
              Progress.Step step = progress.start("Item categories from " + meta.uri());
              ItemCategoryTable.Built built =
                  new ItemCategoryTable(spark).build(meta, vocabs.items());
              writeParquet(built.categories().coalesce(1), layout.categories());
              writeParquet(built.itemCategories().coalesce(1), layout.itemCategories());
              built
                  .rejected()
                  .orderBy(EventColumns.RAW)
                  .coalesce(1)
                  .write()
                  .mode(SaveMode.Overwrite)
                  .json(layout.itemMetaRejected().toString());
              step.done("%,d categories", built.counts().categories());
              return built;
            });
  }

  /** {@code maxEvents}: the most recent events a sequence keeps ({@code --max-sequence-events}). */
  Sequences buildSequences(Dataset<Row> kept, Vocabs vocabs, int maxEvents) {
    Progress.Step step = progress.start("Build sequences");
    // The events are partitioned by user (EventFilters.dropExactDuplicates): the user join keeps
    // that, and the item join must not shuffle them by item, which Spark does once the item
    // vocabulary passes spark.sql.autoBroadcastJoinThreshold (at 100 M events and 1 M items this
    // step shuffled 4.6 GB and took a quarter of the job).
    Dataset<Row> items =
        vocabs.itemCount() <= MAX_BROADCAST_ITEMS ? broadcast(vocabs.items()) : vocabs.items();
    Dataset<Row> encoded =
        Vocabulary.encode(
            Vocabulary.encode(kept, items, EventColumns.ITEM, Vocabularies.ITEM_INDEX),
            vocabs.users(),
            EventColumns.USER,
            SequenceSchema.USER_INDEX);
    Dataset<Row> sequences =
        SequenceBuilder.sequences(
                encoded, SequenceSchema.USER_INDEX, Vocabularies.ITEM_INDEX, maxEvents)
            .persist(StorageLevel.MEMORY_AND_DISK());
    // One pass over the sequences: the length histogram, from which the summary figures follow.
    List<Row> lengthRows =
        sequences
            .select(
                size(col(SequenceBuilder.SEQUENCE_ITEMS)).as(LENGTH),
                element_at(col(SequenceBuilder.SEQUENCE_TIMES), 1).as(FIRST_MILLIS),
                element_at(col(SequenceBuilder.SEQUENCE_TIMES), -1).as(LAST_MILLIS))
            .groupBy(LENGTH)
            .agg(
                expr("count(1)").as(SEQUENCES),
                min(FIRST_MILLIS).as(FIRST_MILLIS),
                max(LAST_MILLIS).as(LAST_MILLIS))
            .orderBy(LENGTH)
            .collectAsList();
    PreprocessProfile profile =
        new PreprocessProfile(
            lengthRows.stream()
                .map(
                    r ->
                        new PreprocessProfile.LengthBin(
                            r.<Integer>getAs(LENGTH), r.<Long>getAs(SEQUENCES)))
                .toList(),
            vocabs.popularity());
    step.done("%,d sequences", profile.sequences());
    return new Sequences(
        sequences,
        profile,
        lengthRows.stream().mapToLong(r -> r.<Long>getAs(FIRST_MILLIS)).min().orElse(0),
        lengthRows.stream().mapToLong(r -> r.<Long>getAs(LAST_MILLIS)).max().orElse(0));
  }

  Examples splitAndWrite(
      Sequences sequences,
      Optional<ItemCategoryTable.Built> categories,
      PreprocessConfig config,
      PreprocessLayout layout) {
    Progress.Step step = progress.start("Split and write sequences");
    SplitPlanner planner =
        new SplitPlanner(
            config.split().kind(),
            config.split().cutoff().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE));
    // The figures from the length histogram (leave-one-out) or the cached sequences (temporal),
    // then the examples built once, as they are written: neither the examples (three padded
    // arrays each) are cached nor sorted globally.
    SequenceBuilder.ExampleCounts counts =
        planner.readsTimes()
            ? SequenceBuilder.exampleCounts(sequences.data(), planner, config.maxLen())
            : SequenceBuilder.exampleCounts(
                sequences.profile().sequenceLengths().stream()
                    .collect(
                        Collectors.toMap(
                            bin -> Math.toIntExact(bin.length()),
                            PreprocessProfile.LengthBin::sequences)),
                planner,
                config.maxLen());
    Dataset<Row> planned = SequenceBuilder.examples(sequences.data(), planner, config.maxLen());
    Dataset<Row> examples =
        categories
            .map(c -> ItemCategoryTable.withCategories(planned, c.itemCategories()))
            .orElse(planned);
    Map<Split, Long> perSplit = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      perSplit.put(split, counts.of(split));
    }
    writeSplits(
        examples,
        layout,
        perSplit,
        categories.isPresent() ? SequenceSchema.WITH_CATEGORIES : SequenceSchema.SCHEMA);
    step.done(
        "%,d train, %,d validation, %,d test examples",
        perSplit.get(Split.TRAIN), perSplit.get(Split.VALIDATION), perSplit.get(Split.TEST));
    return new Examples(perSplit, counts.sequencesWithExamples(), counts.truncated());
  }

  /**
   * Writes the three splits in one pass (partitioned by split), then moves each partition directory
   * to its place in the layout; a split without examples gets an empty Parquet table. Decision:
   * rows are sorted within each partition of the sequences (by split, user, session), not globally:
   * the same input and settings give the same files, without a sampling job and a shuffle of every
   * example (19 of 146 s at 10 M events).
   */
  private void writeSplits(
      Dataset<Row> examples, PreprocessLayout layout, Map<Split, Long> counts, StructType schema) {
    examples
        .sortWithinPartitions(
            SequenceBuilder.SPLIT, SequenceSchema.USER_INDEX, SequenceSchema.SESSION)
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(SequenceBuilder.SPLIT)
        .parquet(layout.sequences().toString());
    try {
      FileSystem fs = layout.sequences().getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (Split split : Split.values()) {
        Path partition =
            new Path(layout.sequences(), SequenceBuilder.SPLIT + "=" + split.dirName());
        if (counts.get(split) > 0) {
          AtomicFile.move(fs, partition, layout.sequences(split));
        } else {
          writeParquet(spark.createDataFrame(List.<Row>of(), schema), layout.sequences(split));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write sequences: " + e.getMessage() + " (" + layout.sequences() + ")", e);
    }
  }

  /** How many items have each event count, most popular first (small: one row per count). */
  private static List<PreprocessProfile.CountBin> itemPopularity(Dataset<Row> items) {
    return items
        .groupBy(col(Vocabularies.COUNT))
        .agg(expr("count(1)").as(ITEMS))
        .orderBy(col(Vocabularies.COUNT).desc())
        .collectAsList()
        .stream()
        .map(
            r ->
                new PreprocessProfile.CountBin(
                    r.<Long>getAs(Vocabularies.COUNT), r.<Long>getAs(ITEMS)))
        .toList();
  }

  /** A vocabulary, written to {@code path}; returned for the steps that read it next. */
  private static Dataset<Row> written(Dataset<Row> vocabulary, Path path) {
    // Partitions already hold consecutive indices in order: one file, no sort needed.
    writeParquet(vocabulary.coalesce(1), path);
    return vocabulary;
  }

  private static void writeParquet(Dataset<Row> data, Path path) {
    data.write().mode(SaveMode.Overwrite).parquet(path.toString());
  }
}
