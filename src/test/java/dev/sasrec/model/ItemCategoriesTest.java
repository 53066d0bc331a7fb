package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ItemCategoriesTest {

  private static final int DRAWS = 2000;

  @Test
  void negativesAreUniformOverTheOtherCategories() {
    ItemCategories c = new ItemCategories(new int[] {0, 1, 2, 3, 4}, 4);
    SplittableRandom random = new SplittableRandom(1);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < DRAWS; i++) {
      int negative = c.negative(random, 2);
      assertThat(negative).isBetween(1, 4).isNotEqualTo(2);
      seen.add(negative);
    }
    assertThat(seen).containsExactlyInAnyOrder(1, 3, 4);
  }

  @Test
  void invalidTablesAreRefusedNamingTheItem() {
    assertThatThrownBy(() -> new ItemCategories(new int[] {0, 1, 5}, 3))
        .hasMessageContaining("item 2 has category 5, outside 1..3");
    assertThatThrownBy(() -> new ItemCategories(new int[] {1, 1}, 1))
        .hasMessageContaining("row 0 is padding");
  }
}
