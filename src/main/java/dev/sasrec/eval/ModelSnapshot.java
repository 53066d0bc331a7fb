package dev.sasrec.eval;

import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.Vocabularies;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.SequenceModel;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The model's configuration and flat float32 parameters, broadcast to executors for scoring; for
 * CAFE also the category of every item row (index 0 = padding), which ranking needs.
 */
public record ModelSnapshot(
    ModelConfig config,
    SASRec.Targets targets,
    Objective objective,
    float[] params,
    ItemCategories categories)
    implements Serializable {

  public ModelSnapshot {
    // The features' layout follows the categories (ItemCategories.features): none without CAFE.
    if (!config.cafe() && categories.present()) {
      throw new IllegalArgumentException(
          "Cannot snapshot a model: it has no category encoder but "
              + categories.count()
              + " item categories were given");
    }
    if (config.cafe()
        && (categories.count() != config.numCategories()
            || categories.ofItem().length != config.itemRows())) {
      throw new IllegalArgumentException(
          "Cannot snapshot a CAFE model: it has "
              + config.itemRows()
              + " item rows and "
              + config.numCategories()
              + " categories, the item categories cover "
              + categories.ofItem().length
              + " rows and "
              + categories.count()
              + " categories");
    }
  }

  public static ModelSnapshot of(
      ModelConfig config,
      SASRec.Targets targets,
      Objective objective,
      INDArray params,
      ItemCategories categories) {
    return new ModelSnapshot(config, targets, objective, params.toFloatVector(), categories);
  }

  /**
   * The category of every item of a Preprocess output, for a CAFE model ({@link
   * ItemCategories#NONE} for any other model): what training batches and scoring feed the model.
   */
  public static ItemCategories itemCategories(
      SparkSession spark, PreprocessLayout data, ModelConfig config) {
    if (!config.cafe()) {
      return ItemCategories.NONE;
    }
    return new ItemCategories(
        Vocabularies.itemCategories(spark, data, config.numItems()), config.numCategories());
  }

  /** Parameter views over a fresh native copy (one per task). */
  public Map<String, INDArray> views() {
    return views(nativeParams());
  }

  /** A fresh native copy of the parameters, [1, n]: its owner closes it when done. */
  public INDArray nativeParams() {
    return Nd4j.createFromArray(params).reshape(1, params.length);
  }

  /** Parameter views over {@code flat}, a copy of {@link #nativeParams}. */
  public Map<String, INDArray> views(INDArray flat) {
    return new ParamLayout(config).views(flat);
  }

  public SequenceModel model() {
    return SequenceModel.of(config, targets, objective);
  }

  /**
   * Model input for left-padded item rows: the ids, then (CAFE) their categories. Without CAFE the
   * columns that are padding in every row are left out: the model reads a shorter window as the
   * right end of the full one (the same scores, for less work; {@link BatchScoring} batches rows of
   * similar length together so that this happens).
   */
  public INDArray features(List<int[]> itemRows) {
    if (config.cafe()) {
      return Nd4j.create(itemRows.stream().map(categories::features).toArray(float[][]::new));
    }
    int padding = itemRows.stream().mapToInt(ModelSnapshot::leadingPadding).min().orElse(0);
    return Nd4j.create(
        itemRows.stream()
            .map(row -> categories.features(Arrays.copyOfRange(row, padding, row.length)))
            .toArray(float[][]::new));
  }

  /** Padding positions at the start of a left-padded row; at most all but the last. */
  static int leadingPadding(int[] row) {
    int t = 0;
    while (t < row.length - 1 && row[t] == 0) {
      t++;
    }
    return t;
  }

  /** The category of every item row for the inference path: CAFE's, or null without CAFE. */
  public int[] itemCategories() {
    return categories.present() ? categories.ofItem() : null;
  }

  /**
   * Scores of every item row after the last position of each row: [rows][N+1], copied out of the
   * workspace. Ranking goes through {@link BatchScoring.Scoring#scores} instead, which reads the
   * rows in place.
   */
  public float[][] lastScores(Map<String, INDArray> params, List<int[]> itemRows) {
    INDArray features =
        features(itemRows).castTo(params.get(ParamLayout.ITEM_EMBEDDING).dataType());
    return model()
        .lastScores(params, features, categories.ofItem())
        .castTo(DataType.FLOAT)
        .toFloatMatrix();
  }
}
