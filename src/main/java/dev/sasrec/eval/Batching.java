package dev.sasrec.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/** Groups a partition's rows into batches for the model. */
public final class Batching {

  private Batching() {}

  /** Calls {@code action} on consecutive batches of at most {@code size} rows. */
  public static <T> void forEachBatch(Iterator<T> rows, int size, Consumer<List<T>> action) {
    List<T> batch = new ArrayList<>(size);
    while (rows.hasNext()) {
      batch.add(rows.next());
      if (batch.size() == size || !rows.hasNext()) {
        action.accept(batch);
        batch = new ArrayList<>(size);
      }
    }
  }
}
