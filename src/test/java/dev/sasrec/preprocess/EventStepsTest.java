package dev.sasrec.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.SparkTestSession;
import dev.sasrec.data.DropReason;
import dev.sasrec.preprocess.EventSteps.Cleaned;
import dev.sasrec.preprocess.EventSteps.KCore;
import dev.sasrec.preprocess.EventSteps.Parsed;
import dev.sasrec.preprocess.EventSteps.Sessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each event step returns what it removed itself; together they account for every row read. */
@Tag("spark")
class EventStepsTest {

  @TempDir Path dir;

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void eachStepCountsOnlyWhatItRemoved() {
    PreprocessConfig config =
        PreprocessFixture.config(
            PreprocessFixture.write(dir).toString(), dir.resolve("out").toString());
    List<String> lines = new ArrayList<>();
    EventSteps steps = new EventSteps(spark, new Progress(spark, lines::add));

    Parsed parsed = steps.readAndParse(config);
    assertThat(parsed.rowsRead()).isEqualTo(PreprocessFixture.LINES.length - 1);
    assertThat(parsed.drops()).isEqualTo(Drops.of(DropReason.MISSING_ITEM, 1));
    Cleaned cleaned = steps.cleanEvents(parsed, config.filters());
    assertThat(cleaned.drops()).isEqualTo(Drops.of(DropReason.DUPLICATE, 1));
    assertThat(cleaned.events().count()).isEqualTo(parsed.usable() - 1);
    KCore kcore = steps.kCore(cleaned, config.filters());
    assertThat(kcore.drops()).isEqualTo(Drops.NONE);
    assertThat(kcore.eventsLeft()).isEqualTo(cleaned.events().count());
    Sessions sessions = steps.sessionize(kcore, cleaned, config.sessions());
    // u4's only event is a session shorter than 2.
    assertThat(sessions.drops()).isEqualTo(Drops.of(DropReason.SHORT_SESSION, 1));
    assertThat(sessions.sessionsMade()).isEqualTo(4);
    assertThat(sessions.sessionsDropped()).isEqualTo(1);

    Drops all = parsed.drops().plus(cleaned.drops()).plus(kcore.drops()).plus(sessions.drops());
    assertThat(sessions.kept().count() + all.total()).isEqualTo(parsed.rowsRead());
    assertThat(sessions.kept().data().count()).isEqualTo(sessions.kept().count());
    assertThat(lines)
        .contains(
            "Preprocess: Remove exact duplicates",
            "Preprocess: k-core filter",
            "Preprocess: Sessionize");
    sessions.kept().unpersist();
    sessions.all().unpersist();
  }
}
