package dev.sasrec.sample;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic interaction log with the structure a sequential recommender should
 * find: Zipf-like item popularity, per-item successor lists followed with a fixed probability
 * (item-to-item transitions), and sessions separated by long inactivity gaps. A first-order "next
 * item after the previous one" predictor therefore beats popularity by a wide margin.
 *
 * <p>CSV with header {@code user_id,item_id,timestamp} (epoch seconds). A few rows are corrupt or
 * exact duplicates on purpose, to exercise the reject and de-duplication paths.
 */
public final class SyntheticLog {

  /** Successors per item: each item leads to a handful of likely next items. */
  static final int SUCCESSORS = 5;

  /** Mean events per session (geometric). */
  static final double MEAN_SESSION_LENGTH = 8;

  /** Seconds between events inside a session: a floor plus an exponential part. */
  static final double MIN_EVENT_GAP_S = 5;

  static final double MEAN_EVENT_GAP_S = 90;

  /** Seconds between sessions: at least two hours, one day on average. */
  static final double MIN_SESSION_GAP_S = 2 * 3600;

  static final double MEAN_SESSION_GAP_S = 24 * 3600;

  /** Users start within 30 days of this instant (2024-01-01T00:00:00Z). */
  static final long START_EPOCH_S = 1_704_067_200L;

  static final double START_SPREAD_S = 30 * 24 * 3600;

  /** Seconds between a heavy user's events: a bot, one long session. */
  static final double MIN_BOT_EVENT_GAP_S = 1;

  static final double MEAN_BOT_EVENT_GAP_S = 2;

  /** Spread of users' activity (log-normal sigma). */
  static final double ACTIVITY_SIGMA = 0.8;

  private static final String[] CORRUPT_KINDS = {
    "missing-user", "missing-item", "bad-timestamp", "malformed-row"
  };

  private final SampleConfig config;

  public SyntheticLog(SampleConfig config) {
    this.config = config;
  }

  /** Writes the whole log; returns the number of rows written (the header excluded). */
  public long write(Writer out) throws IOException {
    SplittableRandom random = new SplittableRandom(config.seed());
    int items = config.items();
    double[] popularity = zipfCdf(items, config.zipfExponent());
    int[] rawItemId = permutation(items, random);
    int[][] successors = successors(items, random);
    double[] successorCdf = zipfCdf(SUCCESSORS, 1.0);
    long[] budget = userBudgets(random);

    out.write("user_id,item_id,timestamp\n");
    long rows = 0;
    StringBuilder line = new StringBuilder(48);
    for (int u = 0; u < config.users(); u++) {
      long user = u + 1L;
      double t = START_EPOCH_S + random.nextDouble() * START_SPREAD_S;
      int sessionLeft = 0;
      int current = -1;
      String previousLine = null;
      for (long k = 0; k < budget[u]; k++) {
        double r = random.nextDouble();
        if (previousLine != null && r < config.duplicateRate()) {
          out.write(previousLine);
          rows++;
          continue;
        }
        if (sessionLeft == 0) {
          if (current >= 0) {
            t += MIN_SESSION_GAP_S + exponential(random, MEAN_SESSION_GAP_S);
          }
          sessionLeft = 1 + geometric(random, MEAN_SESSION_LENGTH - 1);
          current = sample(popularity, random);
        } else {
          t += MIN_EVENT_GAP_S + exponential(random, MEAN_EVENT_GAP_S);
          current =
              random.nextDouble() < config.transitionProbability()
                  ? successors[current][sample(successorCdf, random)]
                  : sample(popularity, random);
        }
        sessionLeft--;
        line.setLength(0);
        line.append(user).append(',').append(rawItemId[current]).append(',').append((long) t);
        line.append('\n');
        String row = line.toString();
        if (r < config.duplicateRate() + config.corruptRate()) {
          row = corrupt(user, rawItemId[current], (long) t, random);
        } else {
          previousLine = row;
        }
        out.write(row);
        rows++;
      }
    }
    for (int k = 1; k <= config.heavyUsers(); k++) {
      rows +=
          writeHeavyUser(
              out, config.users() + (long) k, config.heavyUserEvents(k), rawItemId, random);
    }
    return rows;
  }

  /**
   * A heavy user's events: an item drawn by popularity every few seconds, never a session gap, so
   * that the whole history is one sequence of millions of events.
   */
  private long writeHeavyUser(
      Writer out, long user, long events, int[] rawItemId, SplittableRandom random)
      throws IOException {
    double[] popularity = zipfCdf(config.items(), config.zipfExponent());
    double t = START_EPOCH_S + random.nextDouble() * START_SPREAD_S;
    StringBuilder line = new StringBuilder(48);
    for (long k = 0; k < events; k++) {
      t += MIN_BOT_EVENT_GAP_S + exponential(random, MEAN_BOT_EVENT_GAP_S - MIN_BOT_EVENT_GAP_S);
      line.setLength(0);
      line.append(user).append(',').append(rawItemId[sample(popularity, random)]).append(',');
      line.append((long) t).append('\n');
      out.write(line.toString());
    }
    return events;
  }

  /** Each item's likely next items: uniform, so transitions say what popularity does not. */
  private static int[][] successors(int items, SplittableRandom random) {
    int[][] successors = new int[items][SUCCESSORS];
    for (int i = 0; i < items; i++) {
      for (int j = 0; j < SUCCESSORS; j++) {
        int next;
        do {
          next = random.nextInt(items);
        } while (next == i);
        successors[i][j] = next;
      }
    }
    return successors;
  }

  private static String corrupt(long user, int item, long t, SplittableRandom random) {
    return switch (CORRUPT_KINDS[random.nextInt(CORRUPT_KINDS.length)]) {
      case "missing-user" -> "," + item + "," + t + "\n";
      case "missing-item" -> user + ",," + t + "\n";
      case "bad-timestamp" -> user + "," + item + ",not-a-time\n";
      default -> user + "," + item + "\n";
    };
  }

  /** Events per user from log-normal activity weights, summing exactly to the configured total. */
  private long[] userBudgets(SplittableRandom random) {
    int users = config.users();
    double[] weight = new double[users];
    double total = 0;
    for (int u = 0; u < users; u++) {
      weight[u] = Math.exp(ACTIVITY_SIGMA * gaussian(random));
      total += weight[u];
    }
    long regular = config.events() - config.heavyEvents();
    long[] budget = new long[users];
    long assigned = 0;
    for (int u = 0; u < users; u++) {
      budget[u] = (long) Math.floor(regular * weight[u] / total);
      assigned += budget[u];
    }
    for (int u = 0; assigned < regular; u = (u + 1) % users) {
      budget[u]++;
      assigned++;
    }
    return budget;
  }

  static double[] zipfCdf(int n, double exponent) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, exponent);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  static int sample(double[] cdf, SplittableRandom random) {
    int i = Arrays.binarySearch(cdf, random.nextDouble());
    return Math.min(i >= 0 ? i : -i - 1, cdf.length - 1);
  }

  /** Raw item ids 1..n in shuffled order, so raw ids say nothing about popularity. */
  private static int[] permutation(int n, SplittableRandom random) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i + 1;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = ids[i];
      ids[i] = ids[j];
      ids[j] = tmp;
    }
    return ids;
  }

  private static double exponential(SplittableRandom random, double mean) {
    return -mean * Math.log(1 - random.nextDouble());
  }

  private static int geometric(SplittableRandom random, double mean) {
    return (int) Math.floor(exponential(random, mean));
  }

  /** Box-Muller: SplittableRandom has no nextGaussian on Java 17. */
  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
        * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
