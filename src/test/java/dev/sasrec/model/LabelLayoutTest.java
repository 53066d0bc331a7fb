package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class LabelLayoutTest {

  private static final Objective GBCE = new Objective(Objective.Loss.GBCE, 3, 0.5);

  @Test
  void columnsOfEachObjective() {
    LabelLayout bce = LabelLayout.of(Objective.BCE, 4, false);
    LabelLayout gbce = LabelLayout.of(GBCE, 4, false);
    LabelLayout cafe = LabelLayout.of(Objective.BCE, 4, true);
    assertThat(bce.columns()).isEqualTo(8);
    assertThat(gbce.columns()).isEqualTo(7);
    assertThat(cafe.columns()).isEqualTo(16);
    assertThat(bce.positive(3)).isEqualTo(3);
    assertThat(bce.negative(0)).isEqualTo(4);
    assertThat(gbce.rowNegative(2)).isEqualTo(6);
    assertThat(cafe.negative(1)).isEqualTo(5);
    assertThat(cafe.positiveCategory(1)).isEqualTo(9);
    assertThat(cafe.negativeCategory(3)).isEqualTo(15);
    assertThat(LabelLayout.of(GBCE, 50, false).columns()).isEqualTo(53);
  }

  @Test
  void theBlocksTheHeadsReadAreTheColumnsTheBatchesWrite() {
    LabelLayout cafe = LabelLayout.of(Objective.BCE, 2, true);
    float[] row = new float[cafe.columns()];
    for (int t = 0; t < 2; t++) {
      row[cafe.positive(t)] = 10 + t;
      row[cafe.negative(t)] = 20 + t;
      row[cafe.positiveCategory(t)] = 30 + t;
      row[cafe.negativeCategory(t)] = 40 + t;
    }
    var labels = Nd4j.create(new float[][] {row});
    assertThat(cafe.positives(labels).toFloatVector()).containsExactly(10, 11);
    assertThat(cafe.negatives(labels).toFloatVector()).containsExactly(20, 21);
    assertThat(cafe.positiveCategories(labels).toFloatVector()).containsExactly(30, 31);
    assertThat(cafe.negativeCategories(labels).toFloatVector()).containsExactly(40, 41);
    LabelLayout gbce = LabelLayout.of(GBCE, 2, false);
    assertThat(gbce.negatives(Nd4j.create(new float[][] {{1, 2, 7, 8, 9}})).toFloatVector())
        .containsExactly(7, 8, 9);
  }

  @Test
  void addressingABlockTheLayoutLacksFailsClearly() {
    LabelLayout bce = LabelLayout.of(Objective.BCE, 4, false);
    assertThatThrownBy(() -> bce.positiveCategory(0))
        .hasMessage("Cannot address label: the BCE layout has no categories");
    assertThatThrownBy(() -> LabelLayout.of(GBCE, 4, false).negative(0))
        .hasMessageContaining("no per-position negatives");
    assertThatThrownBy(() -> bce.negative(4)).hasMessageContaining("position 4 outside 0..3");
    assertThatThrownBy(() -> bce.positives(Nd4j.zeros(2, 7)))
        .hasMessageContaining("expected 8 columns (BCE, L 4), got 7");
    assertThatThrownBy(() -> LabelLayout.of(GBCE, 4, true))
        .hasMessageContaining("CAFE trains with BCE only");
  }
}
