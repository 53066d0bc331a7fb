package dev.sasrec.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Something that declares an option: a {@link Param} itself, or a declaration that carries one and
 * says more about it (where a model hyper-parameter goes, say). {@link OptionSet} collects them
 * from the {@code public static final} fields of holder classes.
 */
public interface Declared {

  /** The option this declares. */
  Param<?> param();

  /**
   * The values of {@code holder}'s public static fields of type {@code type}, in the order the
   * class file gives them (declaration order on HotSpot: see {@link OptionSet}).
   */
  static <D extends Declared> List<D> in(Class<?> holder, Class<D> type) {
    List<D> found = new ArrayList<>();
    for (Field field : holder.getDeclaredFields()) {
      int m = field.getModifiers();
      if (Modifier.isStatic(m) && Modifier.isPublic(m) && type.isAssignableFrom(field.getType())) {
        try {
          found.add(type.cast(field.get(null)));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("Cannot read the declaration " + field, e);
        }
      }
    }
    return List.copyOf(found);
  }
}
