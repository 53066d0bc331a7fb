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

import dev.sasrec.config.Options;
import dev.sasrec.config.Refusal;
import dev.sasrec.data.DropReason;
import dev.sasrec.data.EventColumns;
import dev.sasrec.data.EventFilters;
import dev.sasrec.data.EventLog;
import dev.sasrec.data.EventReader;
import dev.sasrec.data.ItemCategoryTable;
import dev.sasrec.data.KCoreFilter;
import dev.sasrec.data.SequenceBuilder;
import dev.sasrec.data.Sessionizer;
import dev.sasrec.data.SplitPlanner;
import dev.sasrec.data.Vocabulary;
import dev.sasrec.io.AtomicFile;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.PreprocessManifest;
import dev.sasrec.io.SequenceSchema;
import dev.sasrec.io.Split;
import dev.sasrec.io.Vocabularies;
import dev.sasrec.text.Figures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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

  /** Times after this are taken for a wrong --time-format. */
  static final Instant LATEST_PLAUSIBLE_TIME = Instant.parse("2200-01-01T00:00:00Z");

  private static final Logger LOG = LoggerFactory.getLogger(PreprocessJob.class);

  private final SparkSession spark;

  /** Where the progress lines go: the log, or a test's list. */
  private final Consumer<String> progress;

  /** The running step and when it started, for its closing progress line. */
  private String step = "";

  private long stepStartNanos;

  public PreprocessJob(SparkSession spark) {
    this(spark, LOG::info);
  }

  /**
   * Decision: progress is one line when a step starts (which step) and one when it ends (the rows
   * it handled and its time), from the counts the job takes anyway; no extra Spark job for it.
   */
  public PreprocessJob(SparkSession spark, Consumer<String> progress) {
    this.spark = spark;
    this.progress = progress;
  }

  public PreprocessStats run(PreprocessConfig config) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    // Before anything is deleted or read: a missing input or an unnamed column is routine.
    PreprocessPlan.checkInput(config.log(), conf);
    JobOutput output = JobOutput.prepare(config.outputTarget(), conf);
    long start = System.nanoTime();
    PreprocessStats stats = output.write(root -> build(config, new PreprocessLayout(root)));
    progress.accept(
        String.format(
            Locale.ROOT,
            "Preprocess: done in %s: %,d rows read, %,d events kept, %,d sequences (%s)",
            Figures.duration((System.nanoTime() - start) / 1e9),
            stats.rowsRead(),
            stats.eventsKept(),
            stats.sequences(),
            config.output()));
    return stats;
  }

  /** The steps, in order; each caches what the next reads and counts what it removes. */
  private PreprocessStats build(PreprocessConfig config, PreprocessLayout layout) {
    Map<DropReason, Long> dropped = noneDropped();
    Parsed parsed = readAndParse(config, dropped);
    writeRejected(parsed, layout);
    Counted deduplicated = cleanEvents(parsed, config.filters(), dropped);
    KCoreFilter.Result kcore = kCore(deduplicated, config.filters(), dropped);
    Sessions sessions = sessionize(kcore, deduplicated, config, dropped);
    Vocabs vocabs = buildVocabularies(sessions.kept().data, layout);
    Optional<ItemCategoryTable.Built> categories = itemCategories(config, vocabs, layout);
    Sequences sequences = buildSequences(sessions.kept().data, vocabs);
    Examples examples = splitAndWrite(sequences, categories, config, layout);
    PreprocessStats stats =
        stats(parsed, sessions, vocabs, sequences, examples, kcore, categories, dropped);
    writeSummaries(stats, sequences.profile(), config, categories, layout);
    for (Dataset<Row> d :
        List.of(
            examples.data(),
            sequences.data(),
            vocabs.items(),
            vocabs.users(),
            sessions.kept().data,
            sessions.all())) {
      d.unpersist();
    }
    spark.sparkContext().setJobDescription(null);
    return stats;
  }

  /** The parsed input, cached: every row with its reject reason (null when usable). */
  private record Parsed(Dataset<Row> rows, long rowsRead, long rejected) {}

  private Parsed readAndParse(PreprocessConfig config, Map<DropReason, Long> dropped) {
    stage("Read and parse " + config.log().input().uri());
    Dataset<Row> parsed =
        new EventReader(spark).read(config.log()).persist(StorageLevel.MEMORY_AND_DISK());
    long rowsRead = 0;
    Long latest = null;
    for (Row r :
        parsed
            .groupBy(EventColumns.REASON)
            .agg(expr("count(1)"), max(EventColumns.TS))
            .collectAsList()) {
      long n = r.getLong(1);
      rowsRead += n;
      if (!r.isNullAt(0)) {
        dropped.put(reasonOf(r.getString(0)), n);
      } else if (!r.isNullAt(2)) {
        latest = r.getLong(2);
      }
    }
    long rejected = dropped.values().stream().mapToLong(Long::longValue).sum();
    done("%,d rows read, %,d usable, %,d rejected", rowsRead, rowsRead - rejected, rejected);
    failIfNothingUsable(config, rowsRead, rejected, dropped);
    failIfTimesAreImplausible(config, latest);
    return new Parsed(parsed, rowsRead, rejected);
  }

  private void writeRejected(Parsed parsed, PreprocessLayout layout) {
    stage("Write rejected rows");
    Dataset<Row> rejectedRows =
        parsed
            .rows()
            .filter(col(EventColumns.REASON).isNotNull())
            .select(EventColumns.REASON, EventColumns.SOURCE_FILE, EventColumns.RAW);
    // Sorted for the same output run after run; with nothing rejected, skip the sort's jobs.
    (parsed.rejected() == 0
            ? rejectedRows.limit(0)
            : rejectedRows.orderBy(EventColumns.SOURCE_FILE, EventColumns.RAW))
        .write()
        .mode(SaveMode.Overwrite)
        .json(layout.rejected().toString());
    done("%,d rows", parsed.rejected());
  }

  /** Usable rows through the rating and event-type filters, de-duplication and repeats. */
  private Counted cleanEvents(
      Parsed parsed, PreprocessConfig.Filters filters, Map<DropReason, Long> dropped) {
    Dataset<Row> events =
        parsed
            .rows()
            .filter(col(EventColumns.REASON).isNull())
            .drop(EventColumns.REASON, EventColumns.RAW, EventColumns.SOURCE_FILE);
    Counted current = new Counted(events, parsed.rowsRead() - parsed.rejected());
    if (filters.minRating().isPresent()) {
      stage("Filter ratings below " + filters.minRating().get());
      current =
          current.then(
              EventFilters.keepRatingAtLeast(current.data, filters.minRating().get()),
              DropReason.LOW_RATING,
              dropped);
      doneFiltering(current, dropped.get(DropReason.LOW_RATING));
    }
    if (!filters.eventTypes().isEmpty()) {
      stage("Keep event types " + filters.eventTypes());
      current =
          current.then(
              EventFilters.keepEventTypes(current.data, filters.eventTypes()),
              DropReason.EVENT_TYPE,
              dropped);
      doneFiltering(current, dropped.get(DropReason.EVENT_TYPE));
    }
    stage("Remove exact duplicates");
    current =
        current.then(
            EventFilters.dropExactDuplicates(
                current.data.select(EventColumns.USER, EventColumns.ITEM, EventColumns.TS)),
            DropReason.DUPLICATE,
            dropped);
    doneFiltering(current, dropped.get(DropReason.DUPLICATE));
    parsed.rows().unpersist();
    if (filters.collapseRepeats()) {
      stage("Collapse consecutive repeats");
      current =
          current.then(
              EventFilters.collapseConsecutiveRepeats(current.data),
              DropReason.CONSECUTIVE_REPEAT,
              dropped);
      doneFiltering(current, dropped.get(DropReason.CONSECUTIVE_REPEAT));
    }
    return current;
  }

  /**
   * The k-core of the clean events. Its result is computed by the sessionizer: the clean events and
   * the rounds' tables stay cached until then.
   */
  private KCoreFilter.Result kCore(
      Counted events, PreprocessConfig.Filters filters, Map<DropReason, Long> dropped) {
    stage("k-core filter");
    KCoreFilter.Result kcore =
        new KCoreFilter(filters.minItemCount(), filters.minUserCount(), filters.maxKcoreRounds())
            .apply(events.data, events.count);
    dropped.put(DropReason.K_CORE, kcore.eventsRemoved());
    if (kcore.eventsRemoved() == events.count) {
      throw new Refusal(
          "Cannot preprocess: no event is left after the k-core filter (items with at least "
              + filters.minItemCount()
              + " events, users with at least "
              + filters.minUserCount()
              + "; "
              + events.count
              + " events before it); lower "
              + PreprocessConfig.Key.MIN_USER_COUNT.flag()
              + " and "
              + PreprocessConfig.Key.MIN_ITEM_COUNT.flag());
    }
    done(
        "%d rounds, %,d events removed, %,d left",
        kcore.rounds().size(), kcore.eventsRemoved(), events.count - kcore.eventsRemoved());
    if (!kcore.converged()) {
      LOG.warn(
          "k-core did not reach a fixed point in {} rounds; continuing with the last round",
          filters.maxKcoreRounds());
    }
    return kcore;
  }

  /**
   * Every event with its session ({@code all}, cached), the events of sessions long enough ({@code
   * kept}), and the sessions made and dropped.
   */
  private record Sessions(Dataset<Row> all, Counted kept, long made, long dropped) {}

  private Sessions sessionize(
      KCoreFilter.Result kcore,
      Counted deduplicated,
      PreprocessConfig config,
      Map<DropReason, Long> dropped) {
    stage("Sessionize");
    long events = deduplicated.count - kcore.eventsRemoved();
    int minLength = config.sessions().minLength();
    Dataset<Row> sessionized =
        new Sessionizer(config.sessions().gap())
            .sessionize(kcore.events())
            .persist(StorageLevel.MEMORY_AND_DISK());
    Column first = col(EventColumns.POSITION).equalTo(0);
    Column tooShort = col(EventColumns.SESSION_LENGTH).lt(minLength);
    Row counts =
        sessionized
            .agg(
                sum(when(first, 1).otherwise(0)),
                sum(when(first.and(tooShort), 1).otherwise(0)),
                sum(when(tooShort, 1).otherwise(0)))
            .first();
    dropped.put(DropReason.SHORT_SESSION, counts.getLong(2));
    kcore.release();
    deduplicated.unpersist();
    Counted kept =
        new Counted(
            Sessionizer.dropShortSessions(sessionized, minLength), events - counts.getLong(2));
    done(
        "%,d sessions made, %,d shorter than %d dropped (%,d events), %,d events kept",
        counts.getLong(0), counts.getLong(1), minLength, counts.getLong(2), kept.count);
    if (kept.count == 0) {
      throw nothingLeft("Cannot build sequences: no events left after filtering", config, dropped);
    }
    return new Sessions(sessionized, kept, counts.getLong(0), counts.getLong(1));
  }

  /** The item and user vocabularies (cached), the item popularity histogram and the counts. */
  private record Vocabs(
      Dataset<Row> items,
      Dataset<Row> users,
      List<PreprocessProfile.CountBin> popularity,
      long itemCount,
      long userCount) {}

  private Vocabs buildVocabularies(Dataset<Row> kept, PreprocessLayout layout) {
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
    done("%,d items, %,d users", itemCount, userCount);
    return new Vocabs(items, users, popularity, itemCount, userCount);
  }

  /** With --item-meta: each item's category, written beside the vocabularies. */
  private Optional<ItemCategoryTable.Built> itemCategories(
      PreprocessConfig config, Vocabs vocabs, PreprocessLayout layout) {
    return config
        .itemMeta()
        .map(
            meta -> {
              stage("Item categories from " + meta.uri());
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
              done("%,d categories", built.counts().categories());
              return built;
            });
  }

  /** One row per (user, session), cached; its length histogram and first and last event time. */
  private record Sequences(
      Dataset<Row> data, PreprocessProfile profile, long firstMillis, long lastMillis) {}

  private Sequences buildSequences(Dataset<Row> kept, Vocabs vocabs) {
    stage("Build sequences");
    Dataset<Row> encoded =
        Vocabulary.encode(
            Vocabulary.encode(kept, vocabs.items(), EventColumns.ITEM, Vocabularies.ITEM_INDEX),
            vocabs.users(),
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
            vocabs.popularity());
    done("%,d sequences", profile.sequences());
    return new Sequences(
        sequences,
        profile,
        lengthRows.stream().mapToLong(r -> r.getLong(2)).min().orElse(0),
        lengthRows.stream().mapToLong(r -> r.getLong(3)).max().orElse(0));
  }

  /**
   * The examples (cached), per split; how many sequences gave one at all and how many inputs were
   * truncated to --max-len.
   */
  private record Examples(
      Dataset<Row> data, Map<Split, Long> perSplit, long sequencesWithExamples, long truncated) {}

  private Examples splitAndWrite(
      Sequences sequences,
      Optional<ItemCategoryTable.Built> categories,
      PreprocessConfig config,
      PreprocessLayout layout) {
    stage("Split and write sequences");
    SplitPlanner planner =
        new SplitPlanner(
            config.split().kind(),
            config.split().cutoff().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE));
    Dataset<Row> planned = SequenceBuilder.examples(sequences.data(), planner, config.maxLen());
    Dataset<Row> examples =
        categories
            .map(c -> ItemCategoryTable.withCategories(planned, c.itemCategories()))
            .orElse(planned)
            .persist(StorageLevel.MEMORY_AND_DISK());
    // One aggregation for every example figure: per-split counts, sequences with an example,
    // truncated inputs.
    List<Column> figures = new ArrayList<>();
    for (Split split : Split.values()) {
      figures.add(sum(when(col(SequenceBuilder.SPLIT).equalTo(split.dirName()), 1L).otherwise(0L)));
    }
    figures.add(countDistinct(col(SequenceSchema.USER_INDEX), col(SequenceSchema.SESSION)));
    figures.add(sum(when(col(SequenceSchema.LENGTH).gt(config.maxLen()), 1L).otherwise(0L)));
    Row row =
        examples
            .agg(figures.get(0), figures.subList(1, figures.size()).toArray(Column[]::new))
            .first();
    Map<Split, Long> perSplit = new EnumMap<>(Split.class);
    int field = 0;
    for (Split split : Split.values()) {
      perSplit.put(split, row.isNullAt(field) ? 0L : row.getLong(field));
      field++;
    }
    writeSplits(
        examples,
        layout,
        perSplit,
        categories.isPresent() ? SequenceSchema.WITH_CATEGORIES : SequenceSchema.SCHEMA);
    done(
        "%,d train, %,d validation, %,d test examples",
        perSplit.get(Split.TRAIN), perSplit.get(Split.VALIDATION), perSplit.get(Split.TEST));
    return new Examples(
        examples,
        perSplit,
        row.getLong(field),
        row.isNullAt(field + 1) ? 0 : row.getLong(field + 1));
  }

  private static PreprocessStats stats(
      Parsed parsed,
      Sessions sessions,
      Vocabs vocabs,
      Sequences sequences,
      Examples examples,
      KCoreFilter.Result kcore,
      Optional<ItemCategoryTable.Built> categories,
      Map<DropReason, Long> dropped) {
    long sequenceCount = sequences.profile().sequences();
    Map<Split, Long> perSplit = examples.perSplit();
    return new PreprocessStats(
        parsed.rowsRead(),
        sessions.kept().count,
        keyed(dropped),
        vocabs.userCount(),
        vocabs.itemCount(),
        sequenceCount,
        new PreprocessStats.Sessions(sessions.made(), sessions.dropped()),
        new PreprocessStats.Splits(
            perSplit.get(Split.TRAIN),
            perSplit.get(Split.VALIDATION),
            perSplit.get(Split.TEST),
            sequenceCount - perSplit.get(Split.TEST),
            sequenceCount - examples.sequencesWithExamples()),
        sequences.profile().lengthSummary(),
        new PreprocessStats.TimeRange(
            Instant.ofEpochMilli(sequences.firstMillis()).toString(),
            Instant.ofEpochMilli(sequences.lastMillis()).toString()),
        new PreprocessStats.KCore(kcore.rounds(), kcore.converged()),
        examples.truncated(),
        categories.map(ItemCategoryTable.Built::counts).orElse(null));
  }

  /** stats.json, profile.json and manifest.json. */
  private void writeSummaries(
      PreprocessStats stats,
      PreprocessProfile profile,
      PreprocessConfig config,
      Optional<ItemCategoryTable.Built> categories,
      PreprocessLayout layout) {
    JsonFiles json = new JsonFiles(spark.sparkContext().hadoopConfiguration());
    json.write(layout.stats(), stats);
    json.write(layout.profile(), profile);
    json.write(
        layout.manifest(),
        new PreprocessManifest(
            PreprocessManifest.SCHEMA_VERSION,
            PreprocessManifest.JOB,
            config.maxLen(),
            Math.toIntExact(stats.items()),
            Math.toIntExact(stats.users()),
            categories.map(c -> Math.toIntExact(c.counts().categories())).orElse(0),
            stats.splits().train(),
            stats.splits().validation(),
            stats.splits().test(),
            config.resolvedOptions()));
  }

  /** Every drop reason at zero: stats.json lists them all. */
  private static Map<DropReason, Long> noneDropped() {
    Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, 0L);
    }
    return dropped;
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
      throw new Refusal(
          "Cannot preprocess: the input has no rows (" + config.log().input().uri() + ")");
    }
    if (rejected < rowsRead) {
      return;
    }
    EventLog.Columns columns = config.log().columns();
    Map<DropReason, String> roles =
        Map.of(
            DropReason.MISSING_USER, EventLog.Key.USER_COL.flag() + " " + columns.user(),
            DropReason.MISSING_ITEM, EventLog.Key.ITEM_COL.flag() + " " + columns.item(),
            DropReason.MISSING_TIMESTAMP, EventLog.Key.TIME_COL.flag() + " " + columns.time(),
            DropReason.BAD_TIMESTAMP,
                EventLog.Key.TIME_FORMAT.flag() + " " + config.log().time().kind());
    for (Map.Entry<DropReason, String> role : roles.entrySet()) {
      if (dropped.get(role.getKey()) == rowsRead) {
        throw new Refusal(
            "Cannot preprocess: every row is "
                + role.getKey().key()
                + " ("
                + role.getValue()
                + ", "
                + config.log().input().uri()
                + ")");
      }
    }
    throw nothingLeft("Cannot preprocess: every row was rejected", config, dropped);
  }

  /**
   * Refuses a log whose latest time is after {@link #LATEST_PLAUSIBLE_TIME}: times in milliseconds
   * read as seconds land in the year 30,000 or so and would make every session gap meaningless.
   * Decision: only the late bound is checked; early times (seconds read as milliseconds land in
   * 1970) are also what small hand-written logs use, so they are accepted.
   */
  private static void failIfTimesAreImplausible(PreprocessConfig config, Long latestMillis) {
    if (latestMillis != null && latestMillis > LATEST_PLAUSIBLE_TIME.toEpochMilli()) {
      throw new Refusal(
          "Cannot preprocess: the latest time is "
              + Instant.ofEpochMilli(latestMillis)
              + ", after "
              + LATEST_PLAUSIBLE_TIME
              + "; milliseconds read as seconds? set "
              + EventLog.Key.TIME_FORMAT.flag()
              + " (now "
              + Options.cliName(config.log().time().kind())
              + ", e.g. epoch-millis) ("
              + config.log().input().uri()
              + ")");
    }
  }

  /** A refusal naming the input and every drop count, which say where the rows went. */
  private static Refusal nothingLeft(
      String refusal, PreprocessConfig config, Map<DropReason, Long> dropped) {
    return new Refusal(
        refusal
            + " ("
            + config.log().input().uri()
            + "; see the drop counts: "
            + keyed(dropped)
            + ")");
  }

  private static void writeParquet(Dataset<Row> data, Path path) {
    data.write().mode(SaveMode.Overwrite).parquet(path.toString());
  }

  /** Says which step runs (the log, and Spark's UI through the job description). */
  private void stage(String description) {
    step = description;
    stepStartNanos = System.nanoTime();
    progress.accept("Preprocess: " + description);
    spark.sparkContext().setJobDescription("Preprocess: " + description);
  }

  /** Says what the running step handled, and how long it took. */
  private void done(String format, Object... args) {
    progress.accept(
        String.format(
            Locale.ROOT,
            "Preprocess: %s: %s (%s)",
            step,
            String.format(Locale.ROOT, format, args),
            Figures.duration((System.nanoTime() - stepStartNanos) / 1e9)));
  }

  /** The closing line of a filtering step: what it removed and what is left. */
  private void doneFiltering(Counted left, long removed) {
    done("%,d removed, %,d events left", removed, left.count);
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
