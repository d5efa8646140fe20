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

  /**
   * SpikeInterface's caution: with more than a third of the channels bad the method itself is
   * unreliable (good channels get labelled dead); {@code null} otherwise.
   */
  public String warning() {
    return badCount() > labels.length / 3.0
        ? badCount() + " of " + labels.length + " channels labelled bad: with that many, the detection itself is"
            + " unreliable (no shared signal to compare with?); check the recording before trusting the labels"
        : null;
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
