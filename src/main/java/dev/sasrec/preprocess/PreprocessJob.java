package dev.sasrec.preprocess;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sasrec.data.DropReason;
import dev.sasrec.data.EventColumns;
import dev.sasrec.data.EventFilters;
import dev.sasrec.data.EventReader;
import dev.sasrec.data.ItemCategoryTable;
import dev.sasrec.data.KCoreFilter;
import dev.sasrec.data.SequenceBuilder;
import dev.sasrec.data.Sessionizer;
import dev.sasrec.data.SplitPlanner;
import dev.sasrec.data.Vocabulary;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.PreprocessManifest;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.Split;
import dev.sasrec.io.Vocabularies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Preprocess job: raw log → cleaned events → k-core → sessions → dense ids → split examples,
 * written under the {@link PreprocessLayout}. Each step's effect is counted.
 */
public final class PreprocessJob {

  private static final Logger LOG = LoggerFactory.getLogger(PreprocessJob.class);

  private final SparkSession spark;
  private final Configuration hadoopConf;

  public PreprocessJob(SparkSession spark) {
    this.spark = spark;
    this.hadoopConf = spark.sparkContext().hadoopConfiguration();
  }

  public PreprocessStats run(PreprocessConfig config) {
    JobOutput output = JobOutput.prepare(config.outputTarget(), hadoopConf);
    return output.write(root -> build(config, new PreprocessLayout(root)));
  }

  private PreprocessStats build(PreprocessConfig config, PreprocessLayout layout) {
    Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, 0L);
    }

    stage("Read and parse " + config.log().input().uri());
    Dataset<Row> parsed =
        new EventReader(spark).read(config.log()).persist(StorageLevel.MEMORY_AND_DISK());
    long rowsRead = 0;
    for (Row r : parsed.groupBy(EventColumns.REASON).count().collectAsList()) {
      long n = r.getLong(1);
      rowsRead += n;
      if (!r.isNullAt(0)) {
        dropped.put(reasonOf(r.getString(0)), n);
      }
    }
    long rejected = dropped.values().stream().mapToLong(Long::longValue).sum();
    failIfNothingUsable(config, rowsRead, rejected, dropped);
    stage("Write rejected rows");
    Dataset<Row> rejectedRows =
        parsed
            .filter(col(EventColumns.REASON).isNotNull())
            .select(EventColumns.REASON, EventColumns.SOURCE_FILE, EventColumns.RAW);
    // Sorted for the same output run after run; with nothing rejected, skip the sort's jobs.
    (rejected == 0
            ? rejectedRows.limit(0)
            : rejectedRows.orderBy(EventColumns.SOURCE_FILE, EventColumns.RAW))
        .write()
        .mode(SaveMode.Overwrite)
        .json(layout.rejected().toString());

    Dataset<Row> events =
        parsed
            .filter(col(EventColumns.REASON).isNull())
            .drop(EventColumns.REASON, EventColumns.RAW, EventColumns.SOURCE_FILE);
    Counted current = new Counted(events, rowsRead - rejected);

    PreprocessConfig.Filters filters = config.filters();
    if (filters.minRating().isPresent()) {
      stage("Filter ratings below " + filters.minRating().get());
      current =
          current.then(
              EventFilters.keepRatingAtLeast(current.data, filters.minRating().get()),
              DropReason.LOW_RATING,
              dropped);
    }
    if (!filters.eventTypes().isEmpty()) {
      stage("Keep event types " + filters.eventTypes());
      current =
          current.then(
              EventFilters.keepEventTypes(current.data, filters.eventTypes()),
              DropReason.EVENT_TYPE,
              dropped);
    }
    stage("Remove exact duplicates");
    current =
        current.then(
            EventFilters.dropExactDuplicates(
                current.data.select(EventColumns.USER, EventColumns.ITEM, EventColumns.TS)),
            DropReason.DUPLICATE,
            dropped);
    parsed.unpersist();
    if (filters.collapseRepeats()) {
      stage("Collapse consecutive repeats");
      current =
          current.then(
              EventFilters.collapseConsecutiveRepeats(current.data),
              DropReason.CONSECUTIVE_REPEAT,
              dropped);
    }

    stage("k-core filter");
    KCoreFilter.Result kcore =
        new KCoreFilter(filters.minItemCount(), filters.minUserCount(), filters.maxKcoreRounds())
            .apply(current.data, current.count);
    dropped.put(DropReason.K_CORE, kcore.eventsRemoved());
    if (!kcore.converged()) {
      LOG.warn(
          "k-core did not reach a fixed point in {} rounds; continuing with the last round",
          filters.maxKcoreRounds());
    }
    // The k-core result is computed by the sessionizer below: its inputs stay cached until then.
    Counted deduplicated = current;
    current = new Counted(kcore.events(), current.count - kcore.eventsRemoved());

    stage("Sessionize");
    int minLength = config.sessions().minLength();
    Dataset<Row> sessionized =
        new Sessionizer(config.sessions().gap())
            .sessionize(current.data)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Column first = col(EventColumns.POSITION).equalTo(0);
    Column tooShort = col(EventColumns.SESSION_LENGTH).lt(minLength);
    Row sessionCounts =
        sessionized
            .agg(
                sum(when(first, 1).otherwise(0)),
                sum(when(first.and(tooShort), 1).otherwise(0)),
                sum(when(tooShort, 1).otherwise(0)))
            .first();
    long sessionsMade = sessionCounts.getLong(0);
    long sessionsDropped = sessionCounts.getLong(1);
    dropped.put(DropReason.SHORT_SESSION, sessionCounts.getLong(2));
    kcore.release();
    deduplicated.unpersist();
    current =
        new Counted(
            Sessionizer.dropShortSessions(sessionized, minLength),
            current.count - sessionCounts.getLong(2));
    Dataset<Row> kept = current.data;
    if (current.count == 0) {
      throw new IllegalStateException(
          "Cannot build sequences: no events left after filtering ("
              + config.log().input().uri()
              + "; see the drop counts: "
              + keyed(dropped)
              + ")");
    }

    stage("Build vocabularies");
    Vocabulary vocabulary = Vocabulary.float32Exact(spark);
    Dataset<Row> items = vocabulary.build(kept, EventColumns.ITEM, "item");
    Dataset<Row> users = vocabulary.build(kept, EventColumns.USER, "user");
    // Partitions already hold consecutive indices in order: one file, no sort needed.
    writeParquet(items.coalesce(1), layout.items());
    writeParquet(users.coalesce(1), layout.users());
    // The popularity histogram also gives the item count: no separate count job.
    List<PreprocessProfile.CountBin> popularity = itemPopularity(items);
    long itemCount = popularity.stream().mapToLong(PreprocessProfile.CountBin::items).sum();
    long userCount = users.count();
    ItemCategoryTable.Built categories = null;
    if (config.itemMeta().isPresent()) {
      stage("Item categories from " + config.itemMeta().get().uri());
      categories = new ItemCategoryTable(spark).build(config.itemMeta().get(), items);
      writeParquet(categories.categories().coalesce(1), layout.categories());
      writeParquet(categories.itemCategories().coalesce(1), layout.itemCategories());
      categories
          .rejected()
          .orderBy(ItemCategoryTable.RAW_COLUMN)
          .coalesce(1)
          .write()
          .mode(SaveMode.Overwrite)
          .json(layout.itemMetaRejected().toString());
    }

    stage("Build sequences");
    Dataset<Row> encoded =
        Vocabulary.encode(
            Vocabulary.encode(kept, items, EventColumns.ITEM, Vocabularies.ITEM_INDEX),
            users,
            EventColumns.USER,
            SequenceSchema.USER_INDEX);
    Dataset<Row> sequences =
        SequenceBuilder.sequences(encoded, SequenceSchema.USER_INDEX, Vocabularies.ITEM_INDEX)
            .persist(StorageLevel.MEMORY_AND_DISK());
    // One pass over the sequences: the length histogram, from which the summary figures follow.
    List<Row> lengthRows =
        sequences
            .select(
                size(col(SequenceBuilder.SEQUENCE_ITEMS)).as("n"),
                element_at(col(SequenceBuilder.SEQUENCE_TIMES), 1).as("first"),
                element_at(col(SequenceBuilder.SEQUENCE_TIMES), -1).as("last"))
            .groupBy("n")
            .agg(expr("count(1)"), min("first"), max("last"))
            .orderBy("n")
            .collectAsList();
    PreprocessProfile profile =
        new PreprocessProfile(
            lengthRows.stream()
                .map(r -> new PreprocessProfile.LengthBin(r.getInt(0), r.getLong(1)))
                .toList(),
            popularity);
    long firstMillis = lengthRows.stream().mapToLong(r -> r.getLong(2)).min().orElse(0);
    long lastMillis = lengthRows.stream().mapToLong(r -> r.getLong(3)).max().orElse(0);

    stage("Split and write sequences");
    SplitPlanner planner =
        new SplitPlanner(
            config.split().kind(),
            config.split().cutoff().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE));
    Dataset<Row> examples = SequenceBuilder.examples(sequences, planner, config.maxLen());
    if (categories != null) {
      examples = ItemCategoryTable.withCategories(examples, categories.itemCategories());
    }
    examples = examples.persist(StorageLevel.MEMORY_AND_DISK());
    // One aggregation for every example figure: per-split counts, sequences with an example,
    // truncated inputs.
    List<Column> figures = new ArrayList<>();
    for (Split split : Split.values()) {
      figures.add(sum(when(col(SequenceBuilder.SPLIT).equalTo(split.dirName()), 1L).otherwise(0L)));
    }
    figures.add(countDistinct(col(SequenceSchema.USER_INDEX), col(SequenceSchema.SESSION)));
    figures.add(sum(when(col(SequenceSchema.LENGTH).gt(config.maxLen()), 1L).otherwise(0L)));
    Row exampleStats =
        examples
            .agg(figures.get(0), figures.subList(1, figures.size()).toArray(Column[]::new))
            .first();
    Map<Split, Long> splitCounts = new EnumMap<>(Split.class);
    int field = 0;
    for (Split split : Split.values()) {
      splitCounts.put(split, exampleStats.isNullAt(field) ? 0L : exampleStats.getLong(field));
      field++;
    }
    long withExamples = exampleStats.getLong(field);
    long truncated = exampleStats.isNullAt(field + 1) ? 0 : exampleStats.getLong(field + 1);
    writeSplits(
        examples,
        layout,
        splitCounts,
        categories == null ? SequenceSchema.SCHEMA : SequenceSchema.WITH_CATEGORIES);
    long sequenceCount = profile.sequences();

    PreprocessStats stats =
        new PreprocessStats(
            rowsRead,
            current.count,
            keyed(dropped),
            userCount,
            itemCount,
            sequenceCount,
            new PreprocessStats.Sessions(sessionsMade, sessionsDropped),
            new PreprocessStats.Splits(
                splitCounts.get(Split.TRAIN),
                splitCounts.get(Split.VALIDATION),
                splitCounts.get(Split.TEST),
                sequenceCount - splitCounts.get(Split.TEST),
                sequenceCount - withExamples),
            profile.lengthSummary(),
            new PreprocessStats.TimeRange(
                Instant.ofEpochMilli(firstMillis).toString(),
                Instant.ofEpochMilli(lastMillis).toString()),
            new PreprocessStats.KCore(kcore.rounds(), kcore.converged()),
            truncated,
            categories == null ? null : categories.counts());

    JsonFiles json = new JsonFiles(hadoopConf);
    json.write(layout.stats(), stats);
    json.write(layout.profile(), profile);
    json.write(
        layout.manifest(),
        new PreprocessManifest(
            PreprocessManifest.SCHEMA_VERSION,
            PreprocessManifest.JOB,
            config.maxLen(),
            Math.toIntExact(itemCount),
            Math.toIntExact(userCount),
            categories == null ? 0 : Math.toIntExact(categories.counts().categories()),
            stats.splits().train(),
            stats.splits().validation(),
            stats.splits().test(),
            config.resolvedOptions()));
    for (Dataset<Row> d : List.of(examples, sequences, items, users, kept, sessionized)) {
      d.unpersist();
    }
    spark.sparkContext().setJobDescription(null);
    return stats;
  }

  /** How many items have each event count, most popular first (small: one row per count). */
  private static List<PreprocessProfile.CountBin> itemPopularity(Dataset<Row> items) {
    return items
        .groupBy(col(Vocabularies.COUNT))
        .count()
        .orderBy(col(Vocabularies.COUNT).desc())
        .collectAsList()
        .stream()
        .map(r -> new PreprocessProfile.CountBin(r.getLong(0), r.getLong(1)))
        .toList();
  }

  /** Fails when not one row is usable, naming the role column that is missing everywhere. */
  private static void failIfNothingUsable(
      PreprocessConfig config, long rowsRead, long rejected, Map<DropReason, Long> dropped) {
    if (rowsRead == 0) {
      throw new IllegalStateException(
          "Cannot preprocess: the input has no rows (" + config.log().input().uri() + ")");
    }
    if (rejected < rowsRead) {
      return;
    }
    Map<DropReason, String> roles =
        Map.of(
            DropReason.MISSING_USER, "user-col " + config.log().columns().user(),
            DropReason.MISSING_ITEM, "item-col " + config.log().columns().item(),
            DropReason.MISSING_TIMESTAMP, "time-col " + config.log().columns().time(),
            DropReason.BAD_TIMESTAMP, "time-format " + config.log().time().kind());
    for (Map.Entry<DropReason, String> role : roles.entrySet()) {
      if (dropped.get(role.getKey()) == rowsRead) {
        throw new IllegalStateException(
            "Cannot preprocess: every row is "
                + role.getKey().key()
                + " (--"
                + role.getValue()
                + ", "
                + config.log().input().uri()
                + ")");
      }
    }
    throw new IllegalStateException(
        "Cannot preprocess: every row was rejected ("
            + config.log().input().uri()
            + ": "
            + keyed(dropped)
            + ")");
  }

  private static void writeParquet(Dataset<Row> data, Path path) {
    data.write().mode(SaveMode.Overwrite).parquet(path.toString());
  }

  private void stage(String description) {
    LOG.info("Preprocess: {}", description);
    spark.sparkContext().setJobDescription("Preprocess: " + description);
  }

  /**
   * Writes the three splits in one sorted pass (partitioned by split), then moves each partition
   * directory to its place in the layout; a split without examples gets an empty Parquet table.
   */
  private void writeSplits(
      Dataset<Row> examples,
      PreprocessLayout layout,
      Map<Split, Long> counts,
      org.apache.spark.sql.types.StructType schema) {
    examples
        .orderBy(SequenceBuilder.SPLIT, SequenceSchema.USER_INDEX, SequenceSchema.SESSION)
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(SequenceBuilder.SPLIT)
        .parquet(layout.sequences().toString());
    try {
      FileSystem fs = layout.sequences().getFileSystem(hadoopConf);
      for (Split split : Split.values()) {
        Path partition =
            new Path(layout.sequences(), SequenceBuilder.SPLIT + "=" + split.dirName());
        if (counts.get(split) > 0) {
          if (!fs.rename(partition, layout.sequences(split))) {
            throw new IOException("rename failed: " + partition + " -> " + layout.sequences(split));
          }
        } else {
          writeParquet(spark.createDataFrame(List.<Row>of(), schema), layout.sequences(split));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write sequences: " + e.getMessage() + " (" + layout.sequences() + ")", e);
    }
  }

  private static DropReason reasonOf(String key) {
    for (DropReason reason : DropReason.values()) {
      if (reason.key().equals(key)) {
        return reason;
      }
    }
    throw new IllegalStateException("Cannot count rejects: unknown reason (" + key + ")");
  }

  private static Map<String, Long> keyed(Map<DropReason, Long> dropped) {
    Map<String, Long> out = new LinkedHashMap<>();
    dropped.forEach((reason, n) -> out.put(reason.key(), n));
    return out;
  }

  /** A cached step result and its row count; {@link #then} counts what the next step drops. */
  private static final class Counted {
    final Dataset<Row> data;
    final long count;

    Counted(Dataset<Row> data, long count) {
      this.data = data;
      this.count = count;
    }

    Counted then(Dataset<Row> next, DropReason reason, Map<DropReason, Long> dropped) {
      Dataset<Row> cached = next.persist(StorageLevel.MEMORY_AND_DISK());
      long n = cached.count();
      dropped.merge(reason, count - n, Long::sum);
      unpersist();
      return new Counted(cached, n);
    }

    void unpersist() {
      data.unpersist();
    }
  }
}
