package dev.sasrec.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Figures as the log lines and results.md show them. */
class FiguresTest {

  @Test
  void countsHaveSeparators() {
    assertThat(Figures.count(1_278_370)).isEqualTo("1,278,370");
    assertThat(Figures.count(42)).isEqualTo("42");
  }

  @Test
  void ratesAndSizesHaveThreeSignificantDigits() {
    assertThat(Figures.rate(458.4)).isEqualTo("458");
    assertThat(Figures.rate(45.84)).isEqualTo("45.8");
    assertThat(Figures.rate(4.0)).isEqualTo("4");
    assertThat(Figures.rate(0.01234)).isEqualTo("0.0123");
    assertThat(Figures.rate(1963.3)).isEqualTo("1,963");
    assertThat(Figures.rate(0)).isEqualTo("0");
    assertThat(Figures.rate(Double.NaN)).isEqualTo("-");
  }

  @Test
  void aSettingReadsAsItWasMeantNotAsItsDouble() {
    assertThat(Figures.setting(5.000000000000002E-4)).isEqualTo("0.0005");
    assertThat(Figures.setting(0.002)).isEqualTo("0.002");
    assertThat(Figures.setting(0.0019513950)).isEqualTo("0.001951");
    assertThat(Figures.setting(0)).isEqualTo("0");
  }

  @Test
  void durationsReadAsAPersonWouldSayThem() {
    assertThat(Figures.duration(0.01)).isEqualTo("< 0.1 s");
    assertThat(Figures.duration(4.26)).isEqualTo("4.3 s");
    assertThat(Figures.duration(42.4)).isEqualTo("42 s");
    assertThat(Figures.duration(70)).isEqualTo("1 min 10 s");
    assertThat(Figures.duration(185)).isEqualTo("3 min 05 s");
    assertThat(Figures.duration(7620)).isEqualTo("2 h 07 min");
    assertThat(Figures.duration(Double.NaN)).isEqualTo("-");
  }

  @Test
  void bytesInDecimalUnits() {
    assertThat(Figures.bytes(87_700_000)).isEqualTo("87.7 MB");
    assertThat(Figures.bytes(1_963_300_000)).isEqualTo("1.96 GB");
    assertThat(Figures.bytes(512)).isEqualTo("512 B");
    assertThat(Figures.memory(1_300_000)).isEqualTo("1.24 MiB");
    assertThat(Figures.memory(3L << 29)).isEqualTo("1.5 GiB");
  }
}
