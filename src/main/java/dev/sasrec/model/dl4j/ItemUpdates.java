package dev.sasrec.model.dl4j;

/**
 * How Adam updates the vocabulary tables (the item tables and CAFE's category table): every row at
 * every step, or only the rows a batch touches ({@link LazyAdam}).
 */
public enum ItemUpdates {
  /** Adam over the whole table at every step: DL4J's own updater, what the seed trained with. */
  DENSE,
  /**
   * Lazy Adam on the rows a batch touches: a row's moments and step count advance only when the row
   * is in the batch, as {@code torch.optim.SparseAdam} and TF's LazyAdam do.
   */
  SPARSE
}
