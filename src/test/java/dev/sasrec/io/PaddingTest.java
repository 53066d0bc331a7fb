package dev.sasrec.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PaddingTest {

  @Test
  void padsShortSequencesOnTheLeft() {
    assertThat(Padding.leftPad(new int[] {7, 8}, 5)).containsExactly(0, 0, 0, 7, 8);
  }

  @Test
  void keepsTheMostRecentItemsOfLongSequences() {
    assertThat(Padding.leftPad(new int[] {1, 2, 3, 4, 5, 6}, 4)).containsExactly(3, 4, 5, 6);
  }

  @Test
  void exactLengthIsUnchanged() {
    assertThat(Padding.leftPad(new int[] {1, 2, 3}, 3)).containsExactly(1, 2, 3);
  }

  @Test
  void sortedDistinct() {
    assertThat(Padding.sortedDistinct(new int[] {5, 2, 5, 9, 2})).containsExactly(2, 5, 9);
  }
}
