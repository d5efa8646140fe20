package org.specus.dsp;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;

/**
 * Accumulates the channel Gram matrix {@code XᵀX} (double) and the sample count N from
 * sample-major float32 blocks, plus a histogram of |x| for SpikeInterface's whitening eps rule.
 * Partial accumulators from different tiles combine with {@link #merge}; merging in a fixed order
 * gives a deterministic result.
 *
 * <p><b>Arithmetic.</b> Only the upper triangle is accumulated (half the work); {@link #gram()} and
 * {@link #covariance()} return the full symmetric matrix, row-major. A block is taken in panels of
 * {@value #PANEL} rows from its first row; for every entry (i, j), j ≥ i, each panel's products
 * {@code x[t][i]·x[t][j]} are summed in double in row order starting from +0, and that panel sum
 * is added to the entry. A product of two float32 values is exact in double, so only the sums
 * round: the error grows with PANEL + rows/PANEL terms instead of with the rows (the earlier code
 * summed every row into the entry, four at a time), so this is at least as accurate. The bits
 * depend on where a block starts (the panels), not on the implementation: the vector kernel
 * ({@link CovarianceVector}, register-blocked with fused multiply-adds) and the plain loops give
 * the same bits. For a 15000 × 384 block on one core with 512-bit vectors: 51 ms of CPU against
 * 109 ms for the earlier row-by-row loops, measured side by side on the shared benchmark machine
 * (where the whitening product, documented at 50 ms, took 96 ms at the time); the plain path
 * about 102 ms. The kernel runs at the whitening product's rate per vector lane; the |x| histogram
 * (one scattered increment per value) is ~15 % of the total.
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
  /** Rows per panel (see the class doc); 64 double rows of 384 channels are 196 KB, in L2. */
  static final int PANEL = 64;

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
    add(block, rows, cols, Simd.ENABLED);
  }

  /** {@link #add(float[], int, int)} on the path chosen by the caller (tests, benchmarks). */
  void add(float[] block, int rows, int cols, boolean vector) {
    if (cols != n) {
      throw new IllegalArgumentException(
          "block has " + cols + " channels but this accumulator has " + n);
    }
    SosFilter.checkBlock(block, rows, cols, block);
    // The panel as double rows, each its own array indexed from 0 (JDK 17's C2 vectorises the
    // conversion loop only when both arrays are indexed alike).
    final int height = Math.min(PANEL, Math.max(rows, 1));
    final double[][] panel = new double[height][n];
    final float[] row = new float[n];
    final double[][] sums = vector ? null : new double[n][];
    final double[] tmp = vector ? new double[CovarianceVector.scratchSize()] : null;
    if (!vector) {
      for (int i = 0; i < n; i++) {
        sums[i] = new double[n];
      }
    }
    final int[] hist = new int[HIST_BINS]; // ints: a block has fewer than 2^31 values
    for (int t0 = 0; t0 < rows; t0 += PANEL) {
      final int kc = Math.min(PANEL, rows - t0);
      for (int t = 0; t < kc; t++) {
        System.arraycopy(block, (t0 + t) * n, row, 0, n);
        final double[] p = panel[t];
        for (int c = 0; c < n; c++) {
          p[c] = row[c];
        }
        for (int c = 0; c < n; c++) { // |x| histogram while the row is in L1
          hist[(Float.floatToRawIntBits(row[c]) & 0x7fffffff) >>> HIST_SHIFT]++;
        }
      }
      if (vector) {
        CovarianceVector.panel(panel, kc, n, xtx, tmp);
      } else {
        panelPlain(panel, kc, sums);
      }
    }
    for (int b = 0; b < HIST_BINS; b++) {
      absHist[b] += hist[b];
    }
    count += rows;
  }

  /**
   * The panel's sums by rank-4 updates into {@code sums} (the chain per entry is the contract's:
   * one product added at a time in row order, from +0), then added to the accumulator.
   */
  private void panelPlain(double[][] p, int kc, double[][] sums) {
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(sums[i], i, n, 0.0);
    }
    int t = 0;
    for (; t + 4 <= kc; t += 4) {
      final double[] r0 = p[t];
      final double[] r1 = p[t + 1];
      final double[] r2 = p[t + 2];
      final double[] r3 = p[t + 3];
      for (int i = 0; i < n; i++) {
        final double a0 = r0[i];
        final double a1 = r1[i];
        final double a2 = r2[i];
        final double a3 = r3[i];
        final double[] s = sums[i];
        for (int j = i; j < n; j++) {
          s[j] = s[j] + a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j]; // left to right
        }
      }
    }
    for (; t < kc; t++) {
      final double[] r0 = p[t];
      for (int i = 0; i < n; i++) {
        final double a0 = r0[i];
        final double[] s = sums[i];
        for (int j = i; j < n; j++) {
          s[j] = s[j] + a0 * r0[j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      final double[] g = xtx[i];
      final double[] s = sums[i];
      for (int j = i; j < n; j++) {
        g[j] += s[j];
      }
    }
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

  /**
   * Serialised as one packed array: runners encode accumulators while combining, and written field
   * by field the n rows of the triangle (each a full row) and the 32768 bins made some 400 objects
   * and 1.4 MB per statistics chunk, enough {@code java.io} work to slow a short local run. Packed
   * it is the triangle and the non-empty bins: 0.6 MB for 384 channels. The DirectRunner copies
   * the combine's state through the coder each time a bundle reaches it (60 encodings of an
   * accumulator in a 1-minute run, 110 with the statistics in bundles of 2, early, while this code
   * is not yet compiled), hence row-sized bulk copies rather than a value at a time.
   */
  private Object writeReplace() throws ObjectStreamException {
    return new Packed(this);
  }

  private static final class Packed implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    Packed(CovarianceAccumulator a) {
      int bins = 0;
      for (long h : a.absHist) {
        bins += h != 0 ? 1 : 0;
      }
      ByteBuffer b = ByteBuffer.allocate(Integer.BYTES + Long.BYTES + Double.BYTES * a.n * (a.n + 1) / 2
          + Integer.BYTES + bins * (Integer.BYTES + Long.BYTES));
      b.putInt(a.n).putLong(a.count);
      DoubleBuffer triangle = b.asDoubleBuffer();
      for (int i = 0; i < a.n; i++) { // bulk copies: fast even before the JIT has compiled this
        triangle.put(a.xtx[i], i, a.n - i);
      }
      b.position(b.position() + Double.BYTES * triangle.position());
      b.putInt(bins);
      for (int k = 0; k < HIST_BINS; k++) {
        if (a.absHist[k] != 0) {
          b.putInt(k).putLong(a.absHist[k]);
        }
      }
      bytes = b.array();
    }

    private Object readResolve() throws ObjectStreamException {
      try {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int n = b.getInt();
        if (n < 1 || (long) n * (n + 1) / 2 > b.remaining() / Double.BYTES) {
          throw new InvalidObjectException("damaged covariance accumulator: " + n + " channels in " + bytes.length + " bytes");
        }
        CovarianceAccumulator a = new CovarianceAccumulator(n);
        a.count = b.getLong();
        DoubleBuffer triangle = b.asDoubleBuffer();
        for (int i = 0; i < a.n; i++) {
          triangle.get(a.xtx[i], i, a.n - i);
        }
        b.position(b.position() + Double.BYTES * triangle.position());
        for (int bins = b.getInt(); bins > 0; bins--) {
          a.absHist[b.getInt()] = b.getLong();
        }
        if (b.hasRemaining()) {
          throw new InvalidObjectException("damaged covariance accumulator: " + b.remaining() + " bytes too many");
        }
        return a;
      } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
        InvalidObjectException bad = new InvalidObjectException("damaged covariance accumulator");
        bad.initCause(e);
        throw bad;
      }
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
