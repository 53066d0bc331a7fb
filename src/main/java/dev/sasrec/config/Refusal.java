package dev.sasrec.config;

/**
 * A routine failure the user can act on (an output that exists, a missing input, a Preprocess
 * output or model that does not fit, data that leaves nothing to train on): the entry points print
 * its message, one line starting "Cannot …" that says what to do, without a stack trace, and exit
 * 1. Anything else that escapes a job is unexpected and keeps its stack trace.
 */
public final class Refusal extends RuntimeException {
  public Refusal(String message) {
    super(message);
  }

  public Refusal(String message, Throwable cause) {
    super(message, cause);
  }

  /** The refusal that caused {@code e}, also when Spark wraps one thrown in a task; or null. */
  public static Refusal in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Refusal refusal) {
        return refusal;
      }
    }
    return null;
  }
}
