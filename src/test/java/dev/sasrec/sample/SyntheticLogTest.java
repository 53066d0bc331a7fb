package dev.sasrec.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticLogTest {

  private static final int TOP_K = 10;

  private static SampleConfig config(long seed) {
    return new SampleConfig(
        "unused", 500, 300, 40_000, seed, 0.001, 0.002, 0.75, 0.8, 0, 1_000_000, true);
  }

  private static String generate(SampleConfig config) throws IOException {
    StringWriter out = new StringWriter();
    long rows = new SyntheticLog(config).write(out);
    assertThat(rows).isEqualTo(config.events());
    return out.toString();
  }

  @Test
  void sameSeedSameLogOtherSeedOtherLog() throws IOException {
    assertThat(generate(config(7))).isEqualTo(generate(config(7)));
    assertThat(generate(config(7))).isNotEqualTo(generate(config(8)));
  }

  @Test
  void heavyUsersHoldTheirShareOfTheEventsInOneSessionAndTheOthersTheRest() throws IOException {
    SampleConfig heavy =
        new SampleConfig("unused", 500, 300, 40_000, 5, 0, 0, 0.75, 0.8, 2, 10_000, true);
    Map<String, List<Long>> times = new HashMap<>();
    String[] lines = generate(heavy).split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",");
      times.computeIfAbsent(f[0], u -> new ArrayList<>()).add(Long.parseLong(f[2]));
    }
    // Users 501 and 502 hold 10,000 * 1/2 and 10,000 * 2/2 events; the 500 others the rest.
    assertThat(times.get("501")).hasSize(5_000);
    assertThat(times.get("502")).hasSize(10_000);
    assertThat(times).hasSize(502);
    long gaps =
        java.util.stream.IntStream.range(1, 10_000)
            .filter(
                i ->
                    times.get("502").get(i) - times.get("502").get(i - 1)
                        > SyntheticLog.MIN_SESSION_GAP_S)
            .count();
    assertThat(gaps).isZero();
  }

  @Test
  void containsCorruptRowsAndDuplicates() throws IOException {
    String[] lines = generate(config(1)).split("\n");
    assertThat(lines[0]).isEqualTo("user_id,item_id,timestamp");
    long malformed =
        java.util.Arrays.stream(lines).filter(l -> l.split(",", -1).length != 3).count();
    long badTime = java.util.Arrays.stream(lines).filter(l -> l.endsWith("not-a-time")).count();
    long distinct = java.util.Arrays.stream(lines).distinct().count();
    assertThat(malformed).isPositive();
    assertThat(badTime).isPositive();
    assertThat(distinct).isLessThan(lines.length);
  }

  /**
   * The generator's promise: the previous item predicts the next one far better than popularity
   * does. Hit rate at 10 of the last event of every user, from counts on all earlier events.
   */
  @Test
  void aFirstOrderSequentialPredictorBeatsPopularity() throws IOException {
    Map<String, List<String>> byUser = new LinkedHashMap<>();
    for (String line : generate(config(3)).split("\n")) {
      String[] f = line.split(",", -1);
      if (f.length == 3
          && !f[0].isEmpty()
          && !f[1].isEmpty()
          && !f[2].equals("not-a-time")
          && !f[0].equals("user_id")) {
        byUser.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
      }
    }
    Map<String, Integer> popularity = new HashMap<>();
    Map<String, Map<String, Integer>> transitions = new HashMap<>();
    for (List<String> seq : byUser.values()) {
      for (int i = 0; i < seq.size() - 1; i++) {
        popularity.merge(seq.get(i), 1, Integer::sum);
        if (i > 0) {
          transitions
              .computeIfAbsent(seq.get(i - 1), k -> new HashMap<>())
              .merge(seq.get(i), 1, Integer::sum);
        }
      }
    }
    List<String> topPopular = top(popularity);
    int popularHits = 0;
    int sequentialHits = 0;
    int cases = 0;
    for (List<String> seq : byUser.values()) {
      if (seq.size() < 3) {
        continue;
      }
      cases++;
      String target = seq.get(seq.size() - 1);
      String previous = seq.get(seq.size() - 2);
      popularHits += topPopular.contains(target) ? 1 : 0;
      sequentialHits += top(transitions.getOrDefault(previous, Map.of())).contains(target) ? 1 : 0;
    }
    double popularHr = (double) popularHits / cases;
    double sequentialHr = (double) sequentialHits / cases;
    assertThat(sequentialHr).isGreaterThan(2 * popularHr);
  }

  private static List<String> top(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP_K)
        .map(Map.Entry::getKey)
        .toList();
  }
}
