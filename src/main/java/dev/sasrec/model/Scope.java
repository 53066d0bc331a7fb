package dev.sasrec.model;

/**
 * Where an encoder's parameters live: the prefix of their keys and of their part names in the model
 * summary. The item encoder has none; CAFE's category encoder is a whole encoder under {@link
 * ParamLayout#CATEGORY_PREFIX}.
 *
 * @param tokens what the sequences hold, naming the embedding table ("item", "category")
 */
record Scope(String keyPrefix, String namePrefix, String tokens) {

  static final Scope ITEMS = new Scope("", "", "item");
  static final Scope CATEGORIES = new Scope(ParamLayout.CATEGORY_PREFIX, "category ", "category");

  String key(String key) {
    return keyPrefix + key;
  }

  String name(String part) {
    return namePrefix + part;
  }
}
