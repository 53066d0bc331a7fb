package dev.sasrec.model;

import java.util.function.Supplier;

/** Where the model's calls run: for now directly (the next commit runs them in workspaces). */
final class Workspaces {

  /** Training steps and loss evaluation. */
  static final String STEP = "sasrecStep";

  /** Hidden states and scores. */
  static final String INFERENCE = "sasrecInference";

  private Workspaces() {}

  static <T> T run(String id, Supplier<T> body) {
    return body.get();
  }
}
