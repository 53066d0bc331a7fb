package dev.sasrec.config;

import dev.sasrec.cli.JobCommandLine;

/**
 * Test helper: a job's options from command-line arguments, parsed as the entry points parse them
 * (picocli, {@link JobCommandLine}), for tests that build a job's configuration directly. It keeps
 * the name and shape of the hand-written parser it replaced, so tests written against that one run
 * unchanged. Required options are not checked here (the entry points do that).
 */
public final class CommandLine {

  /** The options the arguments resolve to. */
  public record Parsed(Options options) {}

  private final OptionTable table;

  public CommandLine(OptionTable table) {
    this.table = table;
  }

  public Parsed parse(String[] args) {
    return new Parsed(new JobCommandLine(table, "Usage: test").parse(args).options());
  }
}
