package org.specus.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes a JSON value's order the same in every JVM before it is written, for the writers that keep
 * insertion order (Zarr v2, the binary folder) rather than sorting every key as the Zarr v3 writer
 * does.
 *
 * <p>{@code Map.of} and {@code Set.of} with two or more entries iterate in an order salted at JVM
 * start-up, so a document holding one (a probe's annotations, the software's name and version in
 * the provenance, an op's description) came out in a different key order from run to run: the
 * same result was not the same bytes, and a resumed output, whose metadata is written by another
 * process than its first tiles, could not be compared byte for byte. Such maps are written sorted
 * by key and such sets as lists sorted by their text; every other map and list keeps its order,
 * so documents that were already deterministic do not change.
 */
public final class StableOrder {
  private static final Comparator<Object> BY_TEXT = Comparator.comparing(String::valueOf);

  private StableOrder() {}

  /** {@code value} with every salted map or set, at any depth, replaced by a sorted copy. */
  public static Object of(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = salted(m) ? new TreeMap<>(BY_TEXT) : new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, of(v)));
      return out;
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      c.forEach(v -> out.add(of(v)));
      if (salted(c)) {
        out.sort(BY_TEXT);
      }
      return out;
    }
    return value;
  }

  /** An immutable {@code Map.of}/{@code Set.of} of two or more entries: iteration order salted per JVM. */
  private static boolean salted(Object container) {
    String cls = container.getClass().getName();
    int size = container instanceof Map<?, ?> m ? m.size() : ((Collection<?>) container).size();
    return size >= 2 && (cls.startsWith("java.util.ImmutableCollections$Map")
        || cls.startsWith("java.util.ImmutableCollections$Set"));
  }
}
