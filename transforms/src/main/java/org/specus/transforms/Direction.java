package org.specus.transforms;

import java.util.Locale;

/**
 * Which way an IIR filter runs along time. {@link #FORWARD_BACKWARD} is zero phase (scipy's
 * {@code sosfiltfilt}, SpikeInterface's default); {@link #FORWARD} is causal ({@code sosfilt}),
 * {@link #BACKWARD} anti-causal ({@code sosfilt} on the time-reversed signal).
 */
public enum Direction {
  FORWARD("forward"),
  BACKWARD("backward"),
  FORWARD_BACKWARD("forward-backward");

  private final String label;

  Direction(String label) {
    this.label = label;
  }

  /** As written in configuration and provenance: {@code forward}, {@code backward}, {@code forward-backward}. */
  public String label() {
    return label;
  }

  /** Parses a label (also accepts {@code forward_backward} and {@code filtfilt}). */
  public static Direction parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Direction d : values()) {
      if (d.label.equals(t)) {
        return d;
      }
    }
    if (t.equals("filtfilt") || t.equals("both")) {
      return FORWARD_BACKWARD;
    }
    throw new IllegalArgumentException(
        "filter direction must be forward, backward or forward-backward, got '" + text + "'");
  }
}
