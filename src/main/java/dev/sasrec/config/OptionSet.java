package dev.sasrec.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of one job, as declared: the {@link Param} constants of one or more holder classes,
 * in declaration order (the input part of Preprocess's options, for one, is declared where it is
 * read, in {@code data}). Everything else is derived from it: the command line and its help ({@link
 * OptionTable}), and the documented defaults file {@code conf/<name>.properties} ({@link #render}),
 * which a test keeps equal to the rendering.
 *
 * <p>Decision: the holders' static fields are read by reflection, in the order the class file gives
 * them (declaration order on HotSpot, which the JVM does not promise), rather than listed a second
 * time: one declaration per option. Should another JVM reorder them, the rendering would differ
 * from the checked-in file and the test that compares them would fail, never a run.
 *
 * @param name the job's name: {@code conf/<name>.properties}
 * @param header what the file says above the options (the help prints its own)
 */
public record OptionSet(String name, String header, List<Param<?>> params) {

  /** Width of the rendered defaults file's comment lines. */
  static final int WIDTH = 100;

  public OptionSet {
    params = List.copyOf(params);
    Set<String> keys = new LinkedHashSet<>();
    for (Param<?> p : params) {
      if (!keys.add(p.key())) {
        throw new IllegalStateException(
            "Cannot declare the options of " + name + ": key " + p.key() + " is declared twice");
      }
    }
    for (Param<?> p : params) {
      String key = p.requirement().switchKey();
      if (!key.isEmpty()
          && params.stream().noneMatch(other -> other.key().equals(key) && other.isSwitch())) {
        throw new IllegalStateException(
            "Cannot declare the options of "
                + name
                + ": "
                + p.key()
                + " is required "
                + p.requirement().condition()
                + ", which is not a true/false option");
      }
    }
  }

  /** The options declared by the public static fields of {@code holders} ({@link Declared}). */
  public static OptionSet of(String name, String header, Class<?>... holders) {
    List<Param<?>> params = new ArrayList<>();
    for (Class<?> holder : holders) {
      Declared.in(holder, Declared.class).forEach(d -> params.add(d.param()));
    }
    return new OptionSet(name, header, params);
  }

  /** The keys as the properties file spells them. */
  public Set<String> keyNames() {
    Set<String> names = new LinkedHashSet<>();
    params.forEach(p -> names.add(p.key()));
    return names;
  }

  /** The options for the command line. */
  public OptionTable load() {
    return new OptionTable(name, params);
  }

  /**
   * The defaults file {@code conf/<name>.properties}: the header, then per option its
   * documentation, its requirement and {@code key = default}.
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    comment(out, header);
    out.append(
            "# Generated from the options' declarations in the code (dev.sasrec.config.Param):\n")
        .append("# after changing one, run submit/write-conf.\n\n");
    for (Param<?> p : params) {
      comment(out, p.doc());
      String requirement = p.requirement().sentence();
      if (!requirement.isEmpty()) {
        out.append("# ").append(requirement).append('\n');
      }
      out.append(p.key()).append(" =");
      if (!p.defaultValue().isEmpty()) {
        out.append(' ').append(p.defaultValue());
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static void comment(StringBuilder out, String text) {
    for (String paragraph : text.split("\n")) {
      StringBuilder line = new StringBuilder("#");
      for (String word : paragraph.trim().split(" +")) {
        if (line.length() > 1 && line.length() + 1 + word.length() > WIDTH) {
          out.append(line).append('\n');
          line = new StringBuilder("#");
        }
        line.append(' ').append(word);
      }
      out.append(line).append('\n');
    }
  }
}
