package org.specus.io.spikeglx;

import java.util.Arrays;

/**
 * Which acquisition channels a file holds, in file order: SpikeGLX's {@code snsSaveChanSubset},
 * either {@code all} or an inclusive list such as {@code 0:383,768}.
 */
final class SavedChannels {

  private SavedChannels() {}

  /**
   * The acquisition index of each saved channel, in file order.
   *
   * @param nSaved {@code nSavedChans}, which the list must match
   */
  static int[] of(SpikeGlxMeta meta, int nSaved) {
    String spec = meta.optString("snsSaveChanSubset").orElse("all").strip();
    if (spec.equalsIgnoreCase("all")) {
      int[] all = new int[nSaved];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] out = new int[nSaved];
    int n = 0;
    int previous = -1;
    for (String part : spec.split(",")) {
      String p = part.strip();
      int colon = p.indexOf(':');
      int first;
      int last;
      try {
        first = Integer.parseInt(colon < 0 ? p : p.substring(0, colon).strip());
        last = colon < 0 ? first : Integer.parseInt(p.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        throw bad(meta, spec, "'" + p + "' is not an index or an inclusive range a:b");
      }
      // The stream layout (neural channels first, sync last) is read off the order, so it must be
      // ascending as SpikeGLX writes it.
      if (first > last || first <= previous) {
        throw bad(meta, spec, "ranges must be ascending and not overlap");
      }
      for (int k = first; k <= last; k++) {
        if (n == nSaved) {
          throw bad(meta, spec, "lists more than nSavedChans=" + nSaved + " channels");
        }
        out[n++] = k;
      }
      previous = last;
    }
    if (n != nSaved) {
      throw bad(meta, spec, "lists " + n + " channels but nSavedChans=" + nSaved);
    }
    return out;
  }

  private static RuntimeException bad(SpikeGlxMeta meta, String spec, String why) {
    return meta.error("key 'snsSaveChanSubset' value '" + SpikeGlxMeta.abbreviate(spec) + "': " + why);
  }
}
