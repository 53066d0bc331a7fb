package dev.sasrec.recommend;

/**
 * {@code <output>/stats.json}: what happened to every list (a user's latest history, or a session).
 * Every list either got recommendations or is counted under one reason; the constructor refuses
 * figures that do not add up.
 *
 * @param lists lists in the input (users, or sessions with {@code --per session})
 * @param listsWithRecommendations lists written
 * @param withoutRecommendation lists not written, by reason
 * @param fewerThanK written lists shorter than {@code k} (too few unseen items)
 * @param recommendations recommendations written (rows of the rows layout)
 * @param unknownItemsSkipped items of the scored histories the model does not know, left out
 * @param inputItems items of the Preprocess output's vocabulary
 * @param inputItemsKnown of those, items in the model's vocabulary
 * @param modelItems items the model ranks
 * @param seconds the job's time, from its start to the stats
 */
public record RecommendStats(
    long lists,
    long listsWithRecommendations,
    WithoutRecommendation withoutRecommendation,
    long fewerThanK,
    long recommendations,
    long unknownItemsSkipped,
    int inputItems,
    int inputItemsKnown,
    int modelItems,
    int k,
    String per,
    String layout,
    String format,
    double seconds) {

  /**
   * Why a list got no recommendation.
   *
   * @param noKnownItem its history has no item the model knows
   * @param allItemsSeen every item the model knows is in its history ({@code --exclude-seen})
   */
  public record WithoutRecommendation(long noKnownItem, long allItemsSeen) {
    long total() {
      return noKnownItem + allItemsSeen;
    }
  }

  public RecommendStats {
    if (lists != listsWithRecommendations + withoutRecommendation.total()
        || recommendations > listsWithRecommendations * (long) k
        || recommendations < listsWithRecommendations
        || fewerThanK > listsWithRecommendations) {
      throw new IllegalStateException(
          "Cannot account for every list: lists "
              + lists
              + " != written "
              + listsWithRecommendations
              + " + without "
              + withoutRecommendation
              + ", or "
              + recommendations
              + " recommendations do not fit "
              + listsWithRecommendations
              + " lists of at most "
              + k);
    }
  }
}
