package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimestampParserTest {

  private static Long parse(String format, String zone, String text) {
    return new TimestampParser(TimeSpec.of(format, ZoneId.of(zone))).call(text);
  }

  @Test
  void isoWithAndWithoutZone() {
    assertThat(parse("iso-8601", "UTC", "2010-10-19T23:55:27Z")).isEqualTo(1_287_532_527_000L);
    assertThat(parse("iso-8601", "UTC", "2010-10-19T23:55:27+01:00"))
        .isEqualTo(1_287_532_527_000L - 3_600_000L);
    // No zone in the text: the configured zone applies (Paris is UTC+2 in October 2010).
    assertThat(parse("iso-8601", "Europe/Paris", "2010-10-19T23:55:27"))
        .isEqualTo(1_287_532_527_000L - 7_200_000L);
    assertThat(parse("iso-8601", "UTC", "2010-10-19")).isEqualTo(1_287_446_400_000L);
  }

  @Test
  void pattern() {
    assertThat(parse("yyyy-MM-dd HH:mm:ss", "UTC", "2010-10-19 23:55:27"))
        .isEqualTo(1_287_532_527_000L);
    assertThat(parse("dd/MM/yyyy", "UTC", "19/10/2010")).isEqualTo(1_287_446_400_000L);
  }

  @Test
  void unparseableIsNull() {
    assertThat(parse("iso-8601", "UTC", "not-a-time")).isNull();
    assertThat(parse("iso-8601", "UTC", "")).isNull();
    assertThat(parse("iso-8601", "UTC", null)).isNull();
    assertThat(parse("iso-8601", "UTC", "2010-13-45T99:00:00Z")).isNull();
    assertThat(parse("yyyy-MM-dd HH:mm:ss", "UTC", "2010-10-19")).isNull();
  }
}
