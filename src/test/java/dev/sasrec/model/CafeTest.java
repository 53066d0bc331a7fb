package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** CAFE: gradients against finite differences, the fused ranking score, the parameter layout. */
class CafeTest {

  // 1e-5 rather than 1e-6: the loss of two encoders carries ~1e-15 relative rounding, which a step
  // of 1e-6 turns into ~1e-9 of noise in the finite difference (the absolute tolerance).
  private static final double EPSILON = 1e-5;
  private static final double MAX_RELATIVE_ERROR = 1e-5;
  private static final double ABSOLUTE_TOLERANCE = 1e-9;
  private static final double SCORE_TOLERANCE = 1e-10;

  private static final int CATEGORIES = 3;

  /** Items 1..7 in categories 1..3; row 0 is padding. */
  private static final int[] CATEGORY_OF = {0, 1, 2, 3, 1, 2, 3, 1};

  private static final ModelConfig CONFIG =
      ModelConfig.builder()
          .items(7)
          .maxLen(4)
          .hidden(4)
          .blocks(1)
          .heads(2)
          .ffn(8)
          .dropout(0.0)
          .activation(ModelConfig.Activation.GELU)
          .categories(CATEGORIES)
          .build();

  // Row 3 repeats items and starts with padding: the embedding gradients must add up.
  private static final int[][] ITEMS = {{0, 1, 2, 3}, {4, 5, 6, 7}, {0, 0, 2, 2}};
  private static final int[][] POSITIVES = {{1, 2, 3, 4}, {5, 6, 7, 1}, {0, 2, 2, 5}};
  private static final int[][] NEGATIVES = {{6, 5, 7, 6}, {1, 2, 3, 3}, {4, 4, 1, 2}};
  private static final int[][] NEGATIVE_CATEGORIES = {{2, 3, 1, 3}, {3, 1, 2, 2}, {1, 1, 3, 1}};

  static INDArray features(int[][] items) {
    double[][] rows = new double[items.length][2 * items[0].length];
    for (int r = 0; r < items.length; r++) {
      for (int t = 0; t < items[r].length; t++) {
        rows[r][t] = items[r][t];
        rows[r][items[r].length + t] = CATEGORY_OF[items[r][t]];
      }
    }
    return TinyModel.rows(rows);
  }

  static INDArray labels() {
    int length = POSITIVES[0].length;
    double[][] rows = new double[POSITIVES.length][4 * length];
    for (int r = 0; r < POSITIVES.length; r++) {
      for (int t = 0; t < length; t++) {
        rows[r][t] = POSITIVES[r][t];
        rows[r][length + t] = NEGATIVES[r][t];
        rows[r][2 * length + t] = CATEGORY_OF[POSITIVES[r][t]];
        rows[r][3 * length + t] = POSITIVES[r][t] == 0 ? 0 : NEGATIVE_CATEGORIES[r][t];
      }
    }
    return TinyModel.rows(rows);
  }

  @ParameterizedTest
  @EnumSource(SASRec.Targets.class)
  void everyParameterMatchesFiniteDifferences(SASRec.Targets targets) {
    TinyModel m = new TinyModel(CONFIG, 17);
    Cafe model = new Cafe(CONFIG, targets);
    INDArray features = features(ITEMS);
    INDArray labels = labels();
    model.step(m.params, m.grads, features, labels, false, null, 1.0);
    double[] analytic = m.gradFlat.toDoubleVector();
    for (int i = 0; i < analytic.length; i++) {
      double original = m.flat.getDouble(0, i);
      m.flat.putScalar(0, i, original + EPSILON);
      double plus = model.step(m.params, null, features, labels, false, null, 1.0).loss();
      m.flat.putScalar(0, i, original - EPSILON);
      double minus = model.step(m.params, null, features, labels, false, null, 1.0).loss();
      m.flat.putScalar(0, i, original);
      double numeric = (plus - minus) / (2 * EPSILON);
      double diff = Math.abs(numeric - analytic[i]);
      double scale = Math.max(Math.abs(numeric), Math.abs(analytic[i]));
      if (diff > ABSOLUTE_TOLERANCE) {
        assertThat(diff / scale)
            .as("parameter %d: analytic %s numeric %s", i, analytic[i], numeric)
            .isLessThan(MAX_RELATIVE_ERROR);
      }
    }
    // Both encoders learn: the category encoder's table gets a gradient, not only the items'.
    INDArray categoryTable = ParamLayout.categoryScope(m.grads).get(ParamLayout.ITEM_EMBEDDING);
    assertThat(categoryTable.norm2Number().doubleValue()).isPositive();
    assertThat(m.grads.get(ParamLayout.ITEM_EMBEDDING).norm2Number().doubleValue()).isPositive();
  }

  @Test
  void lossIsTheItemBcePlusTheCategoryBce() {
    TinyModel m = new TinyModel(CONFIG, 5);
    Cafe cafe = new Cafe(CONFIG, SASRec.Targets.ALL);
    double both = cafe.step(m.params, null, features(ITEMS), labels(), false, null, 1).loss();
    // With the category table zeroed, every category logit is 0: category BCE = 2·log 2 and the
    // fused state is the item state plus the category encoder's output.
    ParamLayout.categoryScope(m.params).get(ParamLayout.ITEM_EMBEDDING).assign(0);
    double zeroed = cafe.step(m.params, null, features(ITEMS), labels(), false, null, 1).loss();
    assertThat(both).isNotEqualTo(zeroed);
    assertThat(zeroed).isGreaterThan(2 * Math.log(2));
  }

  /**
   * The loss is exactly the item BCE of the fused states plus the category BCE of the category
   * states, recomputed here from the two encoders run on their own: dropping either term fails.
   */
  @ParameterizedTest
  @EnumSource(SASRec.Targets.class)
  void theLossIsTheHandComputedItemBcePlusCategoryBce(SASRec.Targets targets) {
    TinyModel m = new TinyModel(CONFIG, 29);
    INDArray features = features(ITEMS);
    double loss =
        new Cafe(CONFIG, targets).step(m.params, null, features, labels(), false, null, 1).loss();

    int length = CONFIG.maxLen();
    SASRec itemEncoder = new SASRec(CONFIG.toBuilder().categories(0).build(), targets);
    SASRec categoryEncoder = new SASRec(CONFIG.categoryEncoder(), targets);
    Map<String, INDArray> pc = ParamLayout.categoryScope(m.params);
    INDArray h =
        itemEncoder.hidden(
            m.params,
            features.get(NDArrayIndex.all(), NDArrayIndex.interval(0, length)),
            false,
            null);
    INDArray c =
        categoryEncoder.hidden(
            pc,
            features.get(NDArrayIndex.all(), NDArrayIndex.interval(length, 2 * length)),
            false,
            null);
    INDArray itemTable = m.params.get(ParamLayout.ITEM_EMBEDDING);
    INDArray categoryTable = pc.get(ParamLayout.ITEM_EMBEDDING);
    double itemLoss = 0;
    double categoryLoss = 0;
    int scored = 0;
    for (int b = 0; b < ITEMS.length; b++) {
      for (int t = 0; t < length; t++) {
        boolean counts = POSITIVES[b][t] != 0 && (targets == SASRec.Targets.ALL || t == length - 1);
        if (!counts) {
          continue;
        }
        INDArray fused = h.getRow(b * length + t).add(c.getRow(b * length + t));
        INDArray category = c.getRow(b * length + t);
        itemLoss +=
            BceLoss.pair(
                dot(fused, itemTable.getRow(POSITIVES[b][t])),
                dot(fused, itemTable.getRow(NEGATIVES[b][t])));
        categoryLoss +=
            BceLoss.pair(
                dot(category, categoryTable.getRow(CATEGORY_OF[POSITIVES[b][t]])),
                dot(category, categoryTable.getRow(NEGATIVE_CATEGORIES[b][t])));
        scored++;
      }
    }
    assertThat(categoryLoss / scored).isGreaterThan(0.1);
    assertThat(loss)
        .isCloseTo((itemLoss + categoryLoss) / scored, org.assertj.core.data.Offset.offset(1e-12));
  }

  private static double dot(INDArray a, INDArray b) {
    return a.mul(b).sumNumber().doubleValue();
  }

  @Test
  void anItemsScoreIsItsItemLogitPlusItsCategorysLogit() {
    TinyModel m = new TinyModel(CONFIG, 23);
    Cafe cafe = new Cafe(CONFIG, SASRec.Targets.ALL);
    INDArray features = features(ITEMS);
    INDArray scores = cafe.lastScores(m.params, features, CATEGORY_OF); // [3, 8]
    INDArray fused = cafe.lastHidden(m.params, features); // [3, d]
    // The category state alone: the category encoder over the category block, last position.
    SASRec categoryEncoder = new SASRec(CONFIG.categoryEncoder(), SASRec.Targets.ALL);
    Map<String, INDArray> pc = ParamLayout.categoryScope(m.params);
    INDArray categoryState =
        categoryEncoder.lastHidden(
            pc,
            features.get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)));
    INDArray itemTable = m.params.get(ParamLayout.ITEM_EMBEDDING);
    INDArray categoryTable = pc.get(ParamLayout.ITEM_EMBEDDING);
    for (int r = 0; r < ITEMS.length; r++) {
      for (int item = 1; item <= CONFIG.numItems(); item++) {
        double expected =
            fused.getRow(r).mul(itemTable.getRow(item)).sumNumber().doubleValue()
                + categoryState
                    .getRow(r)
                    .mul(categoryTable.getRow(CATEGORY_OF[item]))
                    .sumNumber()
                    .doubleValue();
        assertThat(scores.getDouble(r, item))
            .as("row %d item %d", r, item)
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(SCORE_TOLERANCE));
      }
    }
  }

  @Test
  void theCategoryEncoderHasItsOwnPrefixedParameters() {
    ParamLayout plain = new ParamLayout(CONFIG.categoryEncoder());
    ParamLayout cafe = new ParamLayout(CONFIG);
    ParamLayout items =
        new ParamLayout(
            ModelConfig.builder()
                .items(7)
                .maxLen(4)
                .hidden(4)
                .blocks(1)
                .heads(2)
                .ffn(8)
                .dropout(0.0)
                .activation(ModelConfig.Activation.GELU)
                .build());
    assertThat(cafe.numParams()).isEqualTo(items.numParams() + plain.numParams());
    assertThat(cafe.params())
        .extracting(ParamLayout.Param::key)
        .contains("catitemEmb", "catb0W2")
        .doesNotHaveDuplicates();
    // The category table has C + 1 rows (0 = padding).
    assertThat(cafe.views(Nd4j.zeros(1, cafe.numParams())).get("catitemEmb").shape())
        .containsExactly(CATEGORIES + 1, 4);
  }

  @Test
  void scoringWithoutTheItemCategoriesFailsClearly() {
    TinyModel m = new TinyModel(CONFIG, 2);
    Cafe cafe = new Cafe(CONFIG, SASRec.Targets.ALL);
    assertThatThrownBy(() -> cafe.lastScores(m.params, features(ITEMS), new int[] {0, 1}))
        .hasMessageContaining("Cannot score items with CAFE")
        .hasMessageContaining("8 item rows");
    assertThatThrownBy(
            () ->
                new Cafe(
                    ModelConfig.builder()
                        .items(7)
                        .maxLen(4)
                        .hidden(4)
                        .blocks(2)
                        .heads(2)
                        .ffn(8)
                        .dropout(0.0)
                        .activation(ModelConfig.Activation.GELU)
                        .build(),
                    SASRec.Targets.ALL))
        .hasMessageContaining("Cannot build CAFE");
  }
}
