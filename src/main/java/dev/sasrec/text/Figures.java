package dev.sasrec.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How figures read in log lines and in {@code results.md}: one place, so that a run's log reads the
 * same from Preprocess to Recommend.
 *
 * <ul>
 *   <li>counts with separators: {@code 1,278,370};
 *   <li>rates and sizes to three significant digits, separators above a thousand: {@code 458},
 *       {@code 45.8}, {@code 4.58}, {@code 1,963};
 *   <li>settings such as a learning rate to four significant digits, plain: {@code 0.0005} (not
 *       {@code 5.000000000000002E-4});
 *   <li>durations as a person says them: {@code < 0.1 s}, {@code 4.3 s}, {@code 42 s}, {@code 1 min
 *       10 s}, {@code 2 h 07 min};
 *   <li>bytes in decimal units as the rest of the log: {@code 87.7 MB}, {@code 1.96 GB}; memory in
 *       binary units as JVM settings count it: {@code 512 MiB}, {@code 3.9 GiB}.
 * </ul>
 */
public final class Figures {

  private static final MathContext RATE = new MathContext(3);
  private static final MathContext SETTING = new MathContext(4);
  private static final long MINUTE = 60;
  private static final long HOUR = 3600;

  /** Below this a duration reads "< 0.1 s", not "0.0 s". */
  private static final double SHORTEST = 0.05;

  private Figures() {}

  /** A count: {@code 1,278,370}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A rate or a measured size: three significant digits, {@code 458}, {@code 45.8}. */
  public static String rate(double value) {
    if (!Double.isFinite(value)) {
      return "-";
    }
    if (Math.abs(value) >= 1000) {
      return count(Math.round(value));
    }
    if (value == 0) {
      return "0";
    }
    return new BigDecimal(value).round(RATE).stripTrailingZeros().toPlainString();
  }

  /** A setting such as a learning rate: four significant digits, plain ({@code 0.0005}). */
  public static String setting(double value) {
    if (!Double.isFinite(value)) {
      return String.valueOf(value);
    }
    if (value == 0) {
      return "0";
    }
    return new BigDecimal(value).round(SETTING).stripTrailingZeros().toPlainString();
  }

  /** A duration: {@code 4.3 s}, {@code 42 s}, {@code 1 min 10 s}, {@code 2 h 07 min}. */
  public static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "-";
    }
    if (seconds < SHORTEST) {
      return "< 0.1 s";
    }
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    long s = Math.round(seconds);
    if (s < MINUTE) {
      return s + " s";
    }
    if (s < HOUR) {
      return String.format(Locale.ROOT, "%d min %02d s", s / MINUTE, s % MINUTE);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / HOUR, (s % HOUR) / MINUTE);
  }

  /** Bytes in decimal units, three significant digits: {@code 87.7 MB}, {@code 1.96 GB}. */
  public static String bytes(double bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = 0;
    while (Math.abs(value) >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return rate(value) + " " + units[unit];
  }

  /**
   * Memory in binary units, as JVM and Spark memory settings count it: {@code 512 MiB}, {@code 3.9
   * GiB}.
   */
  public static String memory(long bytes) {
    double mib = bytes / (double) (1L << 20);
    if (mib < 1024) {
      return rate(mib) + " MiB";
    }
    return String.format(Locale.ROOT, "%.1f GiB", mib / 1024);
  }
}
