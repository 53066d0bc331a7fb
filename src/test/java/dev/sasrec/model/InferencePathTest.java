package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The inference path (last block at the last position only, no caches) against the last rows of the
 * full training-mode forward pass with dropout off, in double precision.
 */
class InferencePathTest {

  private static final double TOLERANCE = 1e-12;

  // Padding-only prefixes, a repeated item, a row whose last position is its only item, and an
  // empty history (all padding).
  private static final double[][] ITEMS = {
    {0, 1, 2, 3}, {4, 5, 6, 7}, {0, 0, 2, 2}, {0, 0, 0, 5}, {0, 0, 0, 0}
  };

  private static List<ModelConfig> configs() {
    List<ModelConfig> configs = new ArrayList<>();
    for (int blocks = 0; blocks <= 2; blocks++) {
      for (boolean finalNorm : new boolean[] {false, true}) {
        for (ModelConfig.Activation a : ModelConfig.Activation.values()) {
          configs.add(
              TinyModel.config(finalNorm, a).toBuilder().blocks(blocks).dropout(0.4).build());
        }
      }
    }
    return configs;
  }

  @Test
  void theLastHiddenStateEqualsTheLastRowOfTheFullForwardPass() {
    for (ModelConfig c : configs()) {
      TinyModel m = new TinyModel(c, 41 + c.blocks());
      SASRec model = new SASRec(c, SASRec.Targets.ALL);
      INDArray items = TinyModel.rows(ITEMS);
      INDArray full = model.hidden(m.params, items, false, null); // [B·L, d]
      INDArray last = model.lastHidden(m.params, items); // [B, d]
      for (int b = 0; b < ITEMS.length; b++) {
        INDArray expected = full.getRow((long) b * c.maxLen() + c.maxLen() - 1);
        assertThat(last.getRow(b).equalsWithEps(expected, TOLERANCE))
            .as("%s, row %d: %s vs %s", c, b, last.getRow(b), expected)
            .isTrue();
      }
    }
  }

  @Test
  void aWindowWithoutItsCommonPaddingGivesTheSameLastStates() {
    // Rows padded in their first two columns: the window of the last two is the right end of L.
    double[][] padded = {{0, 0, 1, 2}, {0, 0, 0, 5}, {0, 0, 2, 2}};
    double[][] trimmed = {{1, 2}, {0, 5}, {2, 2}};
    for (ModelConfig c : configs()) {
      TinyModel m = new TinyModel(c, 17 + c.blocks());
      SASRec model = new SASRec(c, SASRec.Targets.ALL);
      INDArray full = model.lastHidden(m.params, TinyModel.rows(padded));
      INDArray shorter = model.lastHidden(m.params, TinyModel.rows(trimmed));
      assertThat(shorter.equalsWithEps(full, TOLERANCE))
          .as("%s: %s vs %s", c, shorter, full)
          .isTrue();
      // A window of one position: only the last row of the position table.
      INDArray one = model.lastHidden(m.params, TinyModel.rows(new double[][] {{5}}));
      assertThat(one.getRow(0).equalsWithEps(full.getRow(1), TOLERANCE))
          .as("%s, L' = 1", c)
          .isTrue();
    }
  }

  @Test
  void scoresAreTheLastStateTimesTheOutputTable() {
    ModelConfig c =
        TinyModel.config(true, ModelConfig.Activation.GELU).toBuilder()
            .separateOutput(true)
            .build();
    TinyModel m = new TinyModel(c, 5);
    SASRec model = new SASRec(c, SASRec.Targets.ALL);
    INDArray items = TinyModel.rows(ITEMS);
    INDArray full = model.hidden(m.params, items, false, null);
    INDArray expected =
        full.reshape('c', ITEMS.length, c.maxLen(), c.hidden())
            .get(NDArrayIndex.all(), NDArrayIndex.point(c.maxLen() - 1), NDArrayIndex.all())
            .mmul(m.params.get(ParamLayout.OUTPUT_EMBEDDING).transpose());
    assertThat(model.lastScores(m.params, items, null).equalsWithEps(expected, TOLERANCE)).isTrue();
  }

  @Test
  void theScorerHandsOutTheRowsOfLastScoresAndTheirTopK() {
    TinyModel m = new TinyModel(TinyModel.config(false, ModelConfig.Activation.GELU), 12);
    SASRec model = new SASRec(m.config, SASRec.Targets.ALL);
    INDArray items = TinyModel.rows(ITEMS);
    INDArray expected = model.lastScores(m.params, items, null);
    Scorer scorer = new Scorer(model, m.params, null);
    List<float[]> rows = new ArrayList<>();
    scorer.scores(items, (r, scores) -> rows.add(scores.clone()));
    assertThat(rows).hasSize(ITEMS.length);
    List<int[]> seen =
        List.of(new int[] {1, 2, 3}, new int[0], new int[] {2}, new int[] {5}, new int[0]);
    int[][] top = scorer.topK(items, 3, seen);
    for (int r = 0; r < ITEMS.length; r++) {
      float[] row = expected.getRow(r).toFloatVector();
      assertThat(rows.get(r)).containsExactly(row);
      assertThat(top[r]).containsExactly(TopItems.of(row, 3, seen.get(r)));
    }
  }

  @Test
  void cafeScoresEqualTheFullForwardOfBothEncoders() {
    ModelConfig c =
        TinyModel.config(true, ModelConfig.Activation.GELU).toBuilder().categories(3).build();
    int[] categoryOf = {0, 1, 2, 3, 1, 2, 3, 1};
    TinyModel m = new TinyModel(c, 17);
    double[][] features = new double[ITEMS.length][2 * c.maxLen()];
    for (int r = 0; r < ITEMS.length; r++) {
      for (int t = 0; t < c.maxLen(); t++) {
        features[r][t] = ITEMS[r][t];
        features[r][c.maxLen() + t] = categoryOf[(int) ITEMS[r][t]];
      }
    }
    INDArray scores =
        new Cafe(c, SASRec.Targets.ALL).lastScores(m.params, TinyModel.rows(features), categoryOf);
    Map<String, INDArray> pc = ParamLayout.categoryScope(m.params);
    INDArray h =
        new SASRec(c.toBuilder().categories(0).build(), SASRec.Targets.ALL)
            .hidden(m.params, TinyModel.rows(ITEMS), false, null);
    double[][] categoryRows = new double[ITEMS.length][];
    for (int r = 0; r < ITEMS.length; r++) {
      categoryRows[r] = java.util.Arrays.copyOfRange(features[r], c.maxLen(), 2 * c.maxLen());
    }
    INDArray cs =
        new SASRec(c.categoryEncoder(), SASRec.Targets.ALL)
            .hidden(pc, TinyModel.rows(categoryRows), false, null);
    for (int r = 0; r < ITEMS.length; r++) {
      long last = (long) r * c.maxLen() + c.maxLen() - 1;
      INDArray category = cs.getRow(last);
      INDArray fused = h.getRow(last).add(category);
      for (int item = 0; item <= c.numItems(); item++) {
        double expected =
            fused
                    .mul(m.params.get(ParamLayout.ITEM_EMBEDDING).getRow(item))
                    .sumNumber()
                    .doubleValue()
                + category
                    .mul(pc.get(ParamLayout.ITEM_EMBEDDING).getRow(categoryOf[item]))
                    .sumNumber()
                    .doubleValue();
        assertThat(scores.getDouble(r, item))
            .as("row %d item %d", r, item)
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(TOLERANCE));
      }
    }
  }
}
