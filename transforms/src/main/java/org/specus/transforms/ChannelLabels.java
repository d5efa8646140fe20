package org.specus.transforms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.specus.dsp.BadChannels;

/**
 * Each channel's bad-channel label (0 good, 1 dead, 2 noise, 3 outside; see {@link BadChannels}),
 * the mode over the statistics chunks, and where those chunks were.
 */
public record ChannelLabels(int[] labels, List<long[]> sampleRanges) implements Serializable {

  public boolean isBad(int channel) {
    return labels[channel] != BadChannels.GOOD;
  }

  public int badCount() {
    int n = 0;
    for (int l : labels) {
      n += l != BadChannels.GOOD ? 1 : 0;
    }
    return n;
  }

  /** SpikeInterface's label names: good, dead, noise, out. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (int l : labels) {
      names.add(BadChannels.name(l));
    }
    return names;
  }

  /** {@code AP5 dead, AP12 noise, AP28 out, ...} or {@code none}. */
  public String describeBad(List<String> ids) {
    List<String> parts = new ArrayList<>();
    for (int c = 0; c < labels.length; c++) {
      if (isBad(c)) {
        parts.add(ids.get(c) + " " + BadChannels.name(labels[c]));
      }
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }
}
