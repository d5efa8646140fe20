package org.specus.transforms;

import java.io.Serializable;
import java.util.Arrays;

/** Per-channel sums of one statistics chunk (double) and its sample count, for the channel means. */
record ChannelSum(double[] sums, long count) implements Serializable {

  static ChannelSum of(float[] block, int rows, int cols) {
    double[] s = new double[cols];
    for (int t = 0; t < rows; t++) {
      int off = t * cols;
      for (int c = 0; c < cols; c++) {
        s[c] += block[off + c];
      }
    }
    return new ChannelSum(s, rows);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelSum other && count == other.count && Arrays.equals(sums, other.sums);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(sums) + Long.hashCode(count);
  }
}
