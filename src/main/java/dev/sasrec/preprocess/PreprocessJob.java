package dev.sasrec.preprocess;

import dev.sasrec.data.ItemCategoryTable;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.JsonFiles;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.PreprocessManifest;
import dev.sasrec.io.Split;
import dev.sasrec.preprocess.EventSteps.Cleaned;
import dev.sasrec.preprocess.EventSteps.KCore;
import dev.sasrec.preprocess.EventSteps.Parsed;
import dev.sasrec.preprocess.EventSteps.Sessions;
import dev.sasrec.preprocess.SequenceSteps.Examples;
import dev.sasrec.preprocess.SequenceSteps.Sequences;
import dev.sasrec.preprocess.SequenceSteps.Vocabs;
import dev.sasrec.text.Figures;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Preprocess job: raw log → cleaned events → k-core → sessions → dense ids → split examples,
 * written under the {@link PreprocessLayout}. Each step ({@link EventSteps}, {@link SequenceSteps})
 * returns what it made and what it removed; the job combines them into the stats, where every input
 * row is either kept or counted under one drop reason.
 */
public final class PreprocessJob {

  private static final Logger LOG = LoggerFactory.getLogger(PreprocessJob.class);

  private final SparkSession spark;
  private final Progress progress;

  public PreprocessJob(SparkSession spark) {
    this(spark, LOG::info);
  }

  /** {@code progress} receives the progress lines ({@link Progress}): the log, or a test's list. */
  public PreprocessJob(SparkSession spark, Consumer<String> progress) {
    this.spark = spark;
    this.progress = new Progress(spark, progress);
  }

  public PreprocessStats run(PreprocessConfig config) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    // Before anything is deleted or read: a missing input or an unnamed column is routine.
    PreprocessPlan.checkInput(config.log(), conf);
    JobOutput output = JobOutput.prepare(config.outputTarget(), conf);
    long start = System.nanoTime();
    PreprocessStats stats = output.write(root -> build(config, new PreprocessLayout(root)));
    progress.line(
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
    EventSteps events = new EventSteps(spark, progress);
    Parsed parsed = events.readAndParse(config);
    events.writeRejected(parsed, layout);
    Cleaned cleaned = events.cleanEvents(parsed, config.filters());
    KCore kcore = events.kCore(cleaned, config.filters());
    if (!kcore.result().converged()) {
      LOG.warn(
          "k-core did not reach a fixed point in {} rounds; continuing with the last round",
          config.filters().maxKcoreRounds());
    }
    Sessions sessions = events.sessionize(kcore, cleaned, config.sessions());
    Drops dropped = parsed.drops().plus(cleaned.drops()).plus(kcore.drops()).plus(sessions.drops());
    if (sessions.kept().count() == 0) {
      throw EventSteps.nothingLeft(
          "Cannot build sequences: no events left after filtering", config, dropped);
    }
    SequenceSteps tables = new SequenceSteps(spark, progress);
    Vocabs vocabs = tables.buildVocabularies(sessions.kept().data(), layout);
    Optional<ItemCategoryTable.Built> categories = tables.itemCategories(config, vocabs, layout);
    Sequences sequences =
        tables.buildSequences(sessions.kept().data(), vocabs, config.sessions().maxEvents());
    Examples examples = tables.splitAndWrite(sequences, categories, config, layout);
    PreprocessStats stats =
        stats(parsed, dropped, sessions, vocabs, sequences, examples, kcore, categories);
    writeSummaries(stats, sequences.profile(), config, categories, layout);
    for (Dataset<Row> d :
        List.of(
            sequences.data(),
            vocabs.items(),
            vocabs.users(),
            sessions.kept().data(),
            sessions.all())) {
      d.unpersist();
    }
    progress.finish();
    return stats;
  }

  /** stats.json from the steps' results; {@code dropped} is what all of them removed. */
  private static PreprocessStats stats(
      Parsed parsed,
      Drops dropped,
      Sessions sessions,
      Vocabs vocabs,
      Sequences sequences,
      Examples examples,
      KCore kcore,
      Optional<ItemCategoryTable.Built> categories) {
    long sequenceCount = sequences.profile().sequences();
    Map<Split, Long> perSplit = examples.perSplit();
    return new PreprocessStats(
        parsed.rowsRead(),
        sessions.kept().count(),
        dropped.byKey(),
        vocabs.userCount(),
        vocabs.itemCount(),
        sequenceCount,
        new PreprocessStats.Sessions(sessions.sessionsMade(), sessions.sessionsDropped()),
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
        new PreprocessStats.KCore(kcore.result().rounds(), kcore.result().converged()),
        examples.truncated(),
        sessions.cap(),
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
}
