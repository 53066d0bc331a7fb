package dev.sasrec.preprocess;

import dev.sasrec.config.Options;
import dev.sasrec.config.Refusal;
import dev.sasrec.data.EventLog;
import dev.sasrec.data.EventReader;
import dev.sasrec.data.TextHeader;
import dev.sasrec.data.TimeSpec;
import dev.sasrec.io.JobOutput;
import dev.sasrec.io.PreprocessLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code --dry-run}: checks what can be checked without running Spark (the input exists, a header
 * names the role columns, the output may be written) and describes the steps.
 */
public final class PreprocessPlan {

  private PreprocessPlan() {}

  /** Checks the input, then the output; returns the steps a run would take. */
  public static String check(PreprocessConfig c, Configuration conf) {
    checkInput(c.log(), conf);
    JobOutput.check(c.outputTarget(), conf);
    return describe(c);
  }

  /**
   * The input exists and, when a header names the fields, it names every role column (the dry run
   * and, first of all, the run itself).
   */
  static void checkInput(EventLog log, Configuration conf) {
    Path input = new Path(log.input().uri());
    try {
      if (!input.getFileSystem(conf).exists(input)) {
        throw new Refusal("Cannot read input: it does not exist (" + input + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check paths: " + e.getMessage(), e);
    }
    if (log.input().format().isText() && log.input().header()) {
      List<String> names = TextHeader.read(log.input().uri(), log.input().delimiter(), conf);
      EventReader.requireColumns("input", input.toString(), names, log.columns().all());
    }
  }

  private static String describe(PreprocessConfig c) {
    Path input = new Path(c.log().input().uri());
    PreprocessLayout layout = PreprocessLayout.at(c.output());
    StringBuilder plan = new StringBuilder();
    line(
        plan,
        "read %s %s (%s)",
        Options.cliName(c.log().input().format()),
        input,
        c.log().input().fieldNames().isEmpty()
            ? "header names the columns"
            : "columns " + String.join(",", c.log().input().fieldNames()));
    line(
        plan,
        "roles: user %s, item %s, time %s (%s, %s)",
        c.log().columns().user(),
        c.log().columns().item(),
        c.log().columns().time(),
        c.log().time().kind() == TimeSpec.Kind.PATTERN
            ? c.log().time().pattern()
            : Options.cliName(c.log().time().kind()),
        c.log().time().zone());
    c.filters().minRating().ifPresent(r -> line(plan, "keep ratings >= %s", r));
    if (!c.filters().eventTypes().isEmpty()) {
      line(plan, "keep event types %s", c.filters().eventTypes());
    }
    line(
        plan,
        "remove exact duplicates%s",
        c.filters().collapseRepeats() ? ", collapse consecutive repeats" : "");
    line(
        plan,
        "k-core: items >= %d, users >= %d events, at most %d rounds",
        c.filters().minItemCount(),
        c.filters().minUserCount(),
        c.filters().maxKcoreRounds());
    line(
        plan,
        "sessions: %s, at least %d events",
        c.sessions().gap().map(g -> "gap > " + g).orElse("whole history"),
        c.sessions().minLength());
    line(
        plan,
        "split: %s%s, sequences of %d",
        Options.cliName(c.split().kind()),
        c.split().cutoff().map(t -> " at " + t).orElse(""),
        c.maxLen());
    line(
        plan,
        "write %s, %s, %s, %s, %s",
        layout.sequences(),
        layout.items(),
        layout.users(),
        layout.stats(),
        layout.manifest());
    return plan.toString();
  }

  private static void line(StringBuilder plan, String format, Object... args) {
    plan.append("  ").append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
