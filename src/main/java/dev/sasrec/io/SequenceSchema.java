package dev.sasrec.io;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Schema of {@code <output>/sequences/{train,validation,test}}: one row per example, an input
 * prefix and the target that follows it. Written by Preprocess, read by TrainSASRec.
 */
public final class SequenceSchema {

  /** Dense user index (1..U). */
  public static final String USER_INDEX = "user_index";

  /** Raw user id. */
  public static final String USER_ID = "user_id";

  /** Session number within the user, from 0 (always 0 with session-gap none). */
  public static final String SESSION = "session";

  /** The input: the most recent max-len items of the prefix, left-padded with 0. */
  public static final String ITEMS = "items";

  /**
   * Per input position the item that follows it (the next input item, or the target at the last
   * position), left-padded with 0: the training positives of every position.
   */
  public static final String TARGETS = "targets";

  /** The item that follows the input. */
  public static final String TARGET = "target";

  /**
   * Sorted distinct items of the whole (untruncated) input prefix: excluded from sampled negatives
   * and from ranking, never the target itself.
   */
  public static final String HISTORY = "history";

  /** Length of the input prefix before truncation. */
  public static final String LENGTH = "length";

  /** With item metadata only: the category of each input item (0 for padding), as in items. */
  public static final String CATEGORIES = "categories";

  /** With item metadata only: the target's category. */
  public static final String TARGET_CATEGORY = "target_category";

  public static final StructType SCHEMA =
      new StructType()
          .add(USER_INDEX, DataTypes.IntegerType, false)
          .add(USER_ID, DataTypes.StringType, false)
          .add(SESSION, DataTypes.IntegerType, false)
          .add(ITEMS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add(TARGETS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add(TARGET, DataTypes.IntegerType, false)
          .add(HISTORY, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add(LENGTH, DataTypes.IntegerType, false);

  /** The schema of an output with item categories ({@code --item-meta}). */
  public static final StructType WITH_CATEGORIES =
      SCHEMA
          .add(CATEGORIES, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add(TARGET_CATEGORY, DataTypes.IntegerType, false);

  private SequenceSchema() {}
}
