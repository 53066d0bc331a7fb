package dev.sasrec.config;

/** A bad command-line option or configuration value; the message is one line naming it. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
