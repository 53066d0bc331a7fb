package dev.sasrec.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.data.DropReason;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DropsTest {

  @Test
  void everyReasonIsListedInItsOrderZerosIncluded() {
    Drops drops = Drops.of(DropReason.K_CORE, 7);
    assertThat(drops.byKey().keySet())
        .containsExactly(
            Arrays.stream(DropReason.values()).map(DropReason::key).toArray(String[]::new));
    assertThat(drops.byKey()).containsEntry("k-core", 7L).containsEntry("duplicate", 0L);
    assertThat(Drops.NONE.total()).isZero();
  }

  @Test
  void plusSumsPerReasonAndLeavesBothOperandsAsTheyWere() {
    Drops parsed = Drops.of(DropReason.MISSING_ITEM, 2);
    Drops cleaned = Drops.NONE.plus(DropReason.DUPLICATE, 3).plus(DropReason.MISSING_ITEM, 1);
    Drops all = parsed.plus(cleaned);
    assertThat(all.get(DropReason.MISSING_ITEM)).isEqualTo(3);
    assertThat(all.get(DropReason.DUPLICATE)).isEqualTo(3);
    assertThat(all.total()).isEqualTo(6);
    assertThat(parsed.total()).isEqualTo(2);
    assertThat(cleaned.total()).isEqualTo(4);
  }

  @Test
  void countsCannotChangeNorBeNegative() {
    Drops drops = Drops.of(DropReason.DUPLICATE, 1);
    assertThatThrownBy(() -> drops.counts().put(DropReason.DUPLICATE, 2L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new Drops(Map.of(DropReason.K_CORE, -1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot count dropped rows: a negative count (k-core = -1)");
  }
}
