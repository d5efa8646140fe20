package org.specus.io;

import java.math.BigDecimal;
import java.util.Arrays;

/** Formatting shared by the readers' {@code specus info} summaries. */
public final class Summaries {
  private Summaries() {}

  /** Shortest exact decimal: 2.34375 stays 2.34375, 30000.0 becomes 30000. */
  public static String number(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** {@code 2.34375} or {@code 0.195–0.5}. */
  public static String range(double[] values) {
    double lo = Arrays.stream(values).min().orElse(Double.NaN);
    double hi = Arrays.stream(values).max().orElse(Double.NaN);
    return lo == hi ? number(lo) : number(lo) + "–" + number(hi);
  }

  /** The bounding box of contact positions, or {@code unknown}. */
  public static String extent(double[][] xy) {
    if (xy == null || xy.length == 0) {
      return "unknown";
    }
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    for (double[] p : xy) {
      x0 = Math.min(x0, p[0]);
      x1 = Math.max(x1, p[0]);
      y0 = Math.min(y0, p[1]);
      y1 = Math.max(y1, p[1]);
    }
    return "x " + number(x0) + "–" + number(x1) + " µm, y " + number(y0) + "–" + number(y1) + " µm";
  }
}
