package dev.sasrec.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch of left-padded item-id rows and what every layer derives from it once.
 *
 * @param ids item ids, row-major [B·L] (0 = padding)
 * @param size B
 * @param length L
 * @param keep [B·L, 1]: 1 for an item, 0 for padding
 * @param lastKeep [B, 1]: keep of each sequence's last position
 * @param maskBias [B, h, L, L] additive attention mask (see {@link CausalSelfAttention})
 * @param ones [B·L, 1] ones, for column sums as matrix products
 * @param batchOnes [B, 1] ones
 */
public record Batch(
    int[] ids,
    int size,
    int length,
    INDArray keep,
    INDArray lastKeep,
    INDArray maskBias,
    INDArray ones,
    INDArray batchOnes) {

  /** {@code items}: [B, L] item ids (DL4J carries them as floating point). */
  public static Batch of(INDArray items, int heads, DataType type) {
    int size = (int) items.size(0);
    int length = (int) items.size(1);
    int[] ids = items.dup('c').reshape(items.length()).toIntVector();
    float[] keep = new float[ids.length];
    float[] lastKeep = new float[size];
    for (int i = 0; i < ids.length; i++) {
      keep[i] = ids[i] == 0 ? 0f : 1f;
    }
    for (int b = 0; b < size; b++) {
      lastKeep[b] = keep[b * length + length - 1];
    }
    return new Batch(
        ids,
        size,
        length,
        Nd4j.create(keep, new long[] {ids.length, 1}, 'c').castTo(type),
        Nd4j.create(lastKeep, new long[] {size, 1}, 'c').castTo(type),
        CausalSelfAttention.maskBias(ids, size, length, heads, type),
        Nd4j.ones(type, ids.length, 1),
        Nd4j.ones(type, size, 1));
  }
}
