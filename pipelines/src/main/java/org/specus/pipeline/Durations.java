package org.specus.pipeline;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations people type: {@code 60s}, {@code 500ms}, {@code 10m}, {@code 1.5} (seconds). */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*(ms|s|m|min|h)?\\s*");

  private Durations() {}

  public static double seconds(String text, String what) {
    Matcher m = FORMAT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(what + ": '" + text + "' is not a duration (examples: 60s, 500ms, 10m)");
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double seconds = switch (unit) {
      case "ms" -> value / 1000;
      case "m", "min" -> value * 60;
      case "h" -> value * 3600;
      default -> value;
    };
    if (!(seconds > 0)) {
      throw new IllegalArgumentException(what + ": duration must be positive, got '" + text + "'");
    }
    return seconds;
  }
}
