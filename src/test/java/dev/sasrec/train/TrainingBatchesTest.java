package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.eval.NegativeSampler;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.Objective;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class TrainingBatchesTest {

  private static final ExampleRow ROW =
      new ExampleRow(3, 0, new int[] {0, 1, 2, 3}, new int[] {0, 2, 3, 4}, 4, new int[] {1, 2, 3});

  @Test
  void featuresPositivesAndOneNegativePerScoredPosition() {
    DataSet ds =
        TrainingBatches.batch(
            List.of(ROW), new NegativeSampler(20), Objective.BCE, ItemCategories.NONE, 7, 1);
    assertThat(ds.getFeatures().toFloatMatrix()[0]).containsExactly(0, 1, 2, 3);
    float[] labels = ds.getLabels().toFloatMatrix()[0];
    assertThat(labels).hasSize(8);
    assertThat(new float[] {labels[0], labels[1], labels[2], labels[3]})
        .containsExactly(0, 2, 3, 4);
    assertThat(labels[4]).as("no negative under padding").isZero();
    for (int t = 5; t < 8; t++) {
      assertThat((int) labels[t]).isBetween(5, 20);
    }
  }

  @Test
  void negativesAreRedrawnEachEpochAndRepeatableWithinOne() {
    NegativeSampler sampler = new NegativeSampler(1000);
    float[] epoch1 =
        TrainingBatches.batch(List.of(ROW), sampler, Objective.BCE, ItemCategories.NONE, 7, 1)
            .getLabels()
            .toFloatVector();
    float[] again =
        TrainingBatches.batch(List.of(ROW), sampler, Objective.BCE, ItemCategories.NONE, 7, 1)
            .getLabels()
            .toFloatVector();
    float[] epoch2 =
        TrainingBatches.batch(List.of(ROW), sampler, Objective.BCE, ItemCategories.NONE, 7, 2)
            .getLabels()
            .toFloatVector();
    assertThat(again).isEqualTo(epoch1);
    assertThat(epoch2).isNotEqualTo(epoch1);
  }
}
