package dev.sasrec.model;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The columns of a training label row, for every objective; the heads read labels through it and
 * the training batches write them through it.
 *
 * <ul>
 *   <li>BCE: [B, 2L], the next item at each position, then one negative per position.
 *   <li>gBCE: [B, L + K], the next item at each position, then K negatives shared by the row.
 *   <li>CAFE: [B, 4L], the next item, a negative item, the next item's category and a negative
 *       category, L columns each.
 * </ul>
 *
 * A 0 in a positive column marks a position that is not scored (padding).
 *
 * @param kind which layout
 * @param length sequence length L
 * @param negatives negatives per row (gBCE's K); 1 otherwise
 */
public record LabelLayout(Kind kind, int length, int negatives) implements Serializable {

  /** The label layouts. */
  public enum Kind {
    BCE,
    GBCE,
    CAFE
  }

  public LabelLayout {
    if (length < 1 || negatives < 1 || (kind != Kind.GBCE && negatives != 1)) {
      throw new IllegalArgumentException(
          "Cannot lay labels out: need L >= 1 and 1 negative (K >= 1 for gBCE) ("
              + kind
              + ", L "
              + length
              + ", negatives "
              + negatives
              + ")");
    }
  }

  /** The layout for an objective; {@code categories}: CAFE (whose objective is BCE). */
  public static LabelLayout of(Objective objective, int length, boolean categories) {
    if (categories) {
      if (objective.loss() != Objective.Loss.BCE) {
        throw new IllegalArgumentException(
            "Cannot lay labels out: CAFE trains with BCE only (" + objective.loss() + ")");
      }
      return new LabelLayout(Kind.CAFE, length, 1);
    }
    return objective.loss() == Objective.Loss.BCE
        ? new LabelLayout(Kind.BCE, length, 1)
        : new LabelLayout(Kind.GBCE, length, objective.negatives());
  }

  /** Columns per row. */
  public int columns() {
    return switch (kind) {
      case BCE -> 2 * length;
      case GBCE -> length + negatives;
      case CAFE -> 4 * length;
    };
  }

  /** Column of the next item at position t. */
  public int positive(int t) {
    return position(t);
  }

  /** Column of the negative item of position t (BCE, CAFE). */
  public int negative(int t) {
    require(kind != Kind.GBCE, "per-position negatives");
    return length + position(t);
  }

  /** Column of the row's j-th negative (gBCE). */
  public int rowNegative(int j) {
    require(kind == Kind.GBCE, "per-row negatives");
    if (j < 0 || j >= negatives) {
      throw new IndexOutOfBoundsException(
          "Cannot address label: negative " + j + " outside 0.." + (negatives - 1));
    }
    return length + j;
  }

  /** Column of the next item's category at position t (CAFE). */
  public int positiveCategory(int t) {
    require(kind == Kind.CAFE, "categories");
    return 2 * length + position(t);
  }

  /** Column of the negative category of position t (CAFE). */
  public int negativeCategory(int t) {
    require(kind == Kind.CAFE, "categories");
    return 3 * length + position(t);
  }

  /** The next items: [B, L] (a view of {@code labels}). */
  INDArray positives(INDArray labels) {
    return columns(labels, 0, length);
  }

  /** The negative items: [B, L] per position (BCE, CAFE) or [B, K] per row (gBCE). */
  INDArray negatives(INDArray labels) {
    return columns(labels, length, kind == Kind.GBCE ? negatives : length);
  }

  /** The next items' categories: [B, L] (CAFE). */
  INDArray positiveCategories(INDArray labels) {
    require(kind == Kind.CAFE, "categories");
    return columns(labels, 2 * length, length);
  }

  /** The negative categories: [B, L] (CAFE). */
  INDArray negativeCategories(INDArray labels) {
    require(kind == Kind.CAFE, "categories");
    return columns(labels, 3 * length, length);
  }

  private INDArray columns(INDArray labels, long from, long count) {
    if (labels.size(1) != columns()) {
      throw new IllegalArgumentException(
          "Cannot read labels: expected "
              + columns()
              + " columns ("
              + kind
              + ", L "
              + length
              + "), got "
              + labels.size(1));
    }
    return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + count));
  }

  private int position(int t) {
    if (t < 0 || t >= length) {
      throw new IndexOutOfBoundsException(
          "Cannot address label: position " + t + " outside 0.." + (length - 1));
    }
    return t;
  }

  private void require(boolean holds, String what) {
    if (!holds) {
      throw new IllegalStateException(
          "Cannot address label: the " + kind + " layout has no " + what);
    }
  }
}
