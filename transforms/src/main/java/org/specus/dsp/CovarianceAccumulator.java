package org.specus.dsp;

import java.io.Serializable;

/**
 * Accumulates the channel Gram matrix {@code XᵀX} (double) and the sample count N from
 * sample-major float32 blocks, plus a histogram of |x| for SpikeInterface's whitening eps rule.
 * Partial accumulators from different tiles combine with {@link #merge}; merging in a fixed order
 * gives a deterministic result.
 *
 * <p>Only the upper triangle is accumulated (half the work); {@link #gram()} and
 * {@link #covariance()} return the full symmetric matrix, row-major. Rows are converted to double
 * once and applied four at a time as a rank-4 update with contiguous inner loops, so each pass over
 * the n² accumulator does four samples of work: about 90 ms of CPU for a 15000 × 384 block on one
 * core (the |x| histogram is a few ms of that). The grouping of rows into fours depends on where a
 * block starts, so the last bits of the sums depend on how the data was cut into blocks (the same
 * tiles give the same bits).
 *
 * <p><b>|x| histogram resolution.</b> A value's bin is the top 15 bits of its float32 magnitude
 * (8 exponent bits and the top 7 mantissa bits), so bins are 2^-7 ≈ 0.78 % wide relative to |x|
 * over the whole float range, 32768 counters. {@link #medianOfSquares()} takes each bin's midpoint,
 * so it estimates median(x²) within about ±0.8 % (exact zero and subnormals count as 0).
 */
public final class CovarianceAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int HIST_SHIFT = 16;
  private static final int HIST_BINS = 1 << (31 - HIST_SHIFT);

  private final int n;
  private final double[][] xtx; // row i holds the upper triangle's entries j >= i
  private long count;
  private final long[] absHist = new long[HIST_BINS];

  public CovarianceAccumulator(int channels) {
    if (channels < 1) {
      throw new IllegalArgumentException("channel count must be at least 1, got " + channels);
    }
    this.n = channels;
    this.xtx = new double[channels][channels];
  }

  public int channels() {
    return n;
  }

  /** Number of samples (rows) accumulated. */
  public long count() {
    return count;
  }

  /** Adds the {@code rows} samples of a sample-major block with {@code cols == channels()}. */
  public void add(float[] block, int rows, int cols) {
    if (cols != n) {
      throw new IllegalArgumentException(
          "block has " + cols + " channels but this accumulator has " + n);
    }
    SosFilter.checkBlock(block, rows, cols, block);
    // Four rows as separate double arrays, and one array per accumulator row: JDK 17's C2 only
    // vectorises the inner loop when all arrays are indexed alike (no offsets).
    final double[] r0 = new double[n];
    final double[] r1 = new double[n];
    final double[] r2 = new double[n];
    final double[] r3 = new double[n];
    int t = 0;
    for (; t + 4 <= rows; t += 4) {
      toDouble(block, t * n, r0);
      toDouble(block, (t + 1) * n, r1);
      toDouble(block, (t + 2) * n, r2);
      toDouble(block, (t + 3) * n, r3);
      for (int i = 0; i < n; i++) {
        final double a0 = r0[i];
        final double a1 = r1[i];
        final double a2 = r2[i];
        final double a3 = r3[i];
        final double[] g = xtx[i];
        for (int j = i; j < n; j++) {
          g[j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
        }
      }
    }
    for (; t < rows; t++) {
      toDouble(block, t * n, r0);
      for (int i = 0; i < n; i++) {
        final double a0 = r0[i];
        final double[] g = xtx[i];
        for (int j = i; j < n; j++) {
          g[j] += a0 * r0[j];
        }
      }
    }
    final int total = rows * n;
    for (int k = 0; k < total; k++) {
      absHist[(Float.floatToRawIntBits(block[k]) & 0x7fffffff) >>> HIST_SHIFT]++;
    }
    count += rows;
  }

  /** Adds another accumulator's sums into this one. */
  public void merge(CovarianceAccumulator other) {
    if (other.n != n) {
      throw new IllegalArgumentException(
          "cannot merge accumulators of " + other.n + " and " + n + " channels");
    }
    for (int i = 0; i < n; i++) {
      final double[] g = xtx[i];
      final double[] h = other.xtx[i];
      for (int j = i; j < n; j++) {
        g[j] += h[j];
      }
    }
    for (int k = 0; k < HIST_BINS; k++) {
      absHist[k] += other.absHist[k];
    }
    count += other.count;
  }

  /** XᵀX as a full symmetric row-major n×n matrix. */
  public double[] gram() {
    double[] g = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        g[i * n + j] = xtx[i][j];
        g[j * n + i] = xtx[i][j];
      }
    }
    return g;
  }

  /** C = XᵀX / N (no mean removal, as SpikeInterface's default), full row-major n×n. */
  public double[] covariance() {
    if (count == 0) {
      throw new IllegalStateException("no samples were accumulated, so there is no covariance");
    }
    double[] g = gram();
    for (int k = 0; k < g.length; k++) {
      g[k] /= count;
    }
    return g;
  }

  /**
   * Histogram estimate of numpy's median(x²) over every accumulated value (mean of the two middle
   * values for an even count), within about ±0.8 %; see the class doc.
   */
  public double medianOfSquares() {
    long total = count * n;
    if (total == 0) {
      throw new IllegalStateException("no samples were accumulated");
    }
    double lo = squareOfBin(binOfRank((total - 1) / 2));
    double hi = squareOfBin(binOfRank(total / 2));
    return (lo + hi) / 2;
  }

  /** SpikeInterface's eps for these data: {@link #epsFor} of {@link #medianOfSquares()}. */
  public double spikeInterfaceEps() {
    return epsFor(medianOfSquares());
  }

  /** eps = max(1e-16, 1e-3·m) when 0 &lt; m &lt; 1 (m = median(x²)), else 1e-16. */
  public static double epsFor(double medianOfSquares) {
    if (medianOfSquares > 0 && medianOfSquares < 1) {
      return Math.max(1e-16, 1e-3 * medianOfSquares);
    }
    return 1e-16;
  }

  /** Value equality: runners compare encoded accumulators, and Beam checks that this is well defined. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CovarianceAccumulator other
        && n == other.n
        && count == other.count
        && java.util.Arrays.deepEquals(xtx, other.xtx)
        && java.util.Arrays.equals(absHist, other.absHist);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(n, count, java.util.Arrays.deepHashCode(xtx));
  }

  private static void toDouble(float[] src, int off, double[] dst) {
    for (int k = 0; k < dst.length; k++) {
      dst[k] = src[off + k];
    }
  }

  private int binOfRank(long rank) {
    long seen = 0;
    for (int b = 0; b < HIST_BINS; b++) {
      seen += absHist[b];
      if (seen > rank) {
        return b;
      }
    }
    return HIST_BINS - 1;
  }

  private static double squareOfBin(int b) {
    if (b == 0) {
      return 0; // zero and subnormals
    }
    double lo = Float.intBitsToFloat(b << HIST_SHIFT);
    double hi = Float.intBitsToFloat((b + 1) << HIST_SHIFT); // next bin's start (may be +inf)
    double mid = (lo + hi) / 2;
    return mid * mid;
  }
}
