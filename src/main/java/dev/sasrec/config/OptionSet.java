package dev.sasrec.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of one job: the defaults file {@code conf/<name>.properties} and the keys the code
 * reads, declared by one or more enums (the input part of Preprocess's options, for one, is
 * declared where it is read, in {@code data}). Loading refuses a file and code that disagree.
 */
public record OptionSet(String name, List<OptionKey> keys) {

  public OptionSet {
    keys = List.copyOf(keys);
  }

  /** The options of {@code conf/<name>.properties}, declared by the constants of {@code enums}. */
  public static OptionSet of(String name, OptionKey[]... enums) {
    List<OptionKey> keys = new ArrayList<>();
    for (OptionKey[] constants : enums) {
      keys.addAll(Arrays.asList(constants));
    }
    return new OptionSet(name, keys);
  }

  /** The keys as the properties file spells them. */
  public Set<String> keyNames() {
    Set<String> names = new LinkedHashSet<>();
    keys.forEach(k -> names.add(k.key()));
    return names;
  }

  /** The defaults and documentation, checked to have exactly the keys the code reads. */
  public OptionTable load() {
    OptionTable table = OptionTable.load(name);
    Set<String> inFile = new LinkedHashSet<>();
    table.all().forEach(o -> inFile.add(o.key()));
    Set<String> undocumented = new LinkedHashSet<>(keyNames());
    undocumented.removeAll(inFile);
    Set<String> unread = new LinkedHashSet<>(inFile);
    unread.removeAll(keyNames());
    if (!undocumented.isEmpty() || !unread.isEmpty()) {
      throw new IllegalStateException(
          "Cannot load the options of "
              + name
              + ": conf/"
              + name
              + ".properties and the code disagree (read but not in the file: "
              + undocumented
              + "; in the file but never read: "
              + unread
              + ")");
    }
    return table;
  }
}
