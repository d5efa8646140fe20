package org.specus.dsp;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SosFilter}'s recursion with {@code jdk.incubator.vector}. The five-section cascade (the
 * default order-5 bandpass) runs a chunk of rows at a time with the states in registers
 * ({@link #run5}); other cascades, and the few rows of the edge extensions, go a row at a time: a
 * vector of channels is loaded once, goes through every section (each section's state read and
 * written once), and is stored once, where the plain loops make one pass over the row per section.
 *
 * <p>Only vectors of the preferred shape are used here. Mixing shapes of one element type in a JVM
 * (say 256-bit and 512-bit float vectors) makes the Vector API's call sites polymorphic and C2
 * falls back to boxed vectors in every kernel using that type: the whitening product ran 40×
 * slower after an earlier version of this filter had loaded rows as 256-bit float vectors. Hence
 * the conversions of {@link #run5}'s chunks: widening ({@link #toDouble}) turns one preferred
 * float vector into two preferred double vectors, which JDK 17's C2 does not do for the plain loop
 * (measured in the pipeline: the bandpass 9 ms less per tile, the median reference and the
 * whitening product unchanged); narrowing stays a plain loop: {@code convertShape(D2F, ...)} into
 * the preferred float shape was no faster, and an earlier version that filled the upper half of
 * a float vector (part −1) made the median reference 3× slower in the pipeline. Channels that do
 * not fill a vector are done one by one. The operations per channel are exactly the plain path's
 * ({@link SosFilter#stepPlain}), and float to double is exact, so the bits are the same.
 */
final class SosFilterVector {
  private SosFilterVector() {}

  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = D.length();
  /** Floats of the doubles' (preferred) shape: one of them widens into two double vectors. */
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  /**
   * One float32 row through the cascade into {@code dst} (may be {@code src}), via the double row
   * {@code cur}. Used for the few rows of the edge extensions and by cascades other than
   * {@link #run5}'s, so its conversions are plain loops.
   */
  static void stepRow(SosFilter.Coefficients k, float[] src, int srcOff, float[] dst, int dstOff,
      double[] cur, double[][] z0, double[][] z1, int cols) {
    for (int c = 0; c < cols; c++) {
      cur[c] = src[srcOff + c];
    }
    step(k, cur, z0, z1, cols);
    for (int c = 0; c < cols; c++) {
      dst[dstOff + c] = (float) cur[c];
    }
  }

  /** Rows per chunk of {@link #run5}: a chunk's double copy (384 channels: 96 KB) stays in L2. */
  static final int CHUNK_ROWS = 32;

  /** Length of {@link #run5}'s scratch for {@code cols} channels. */
  static int scratchSize(int cols) {
    return CHUNK_ROWS * cols;
  }

  /**
   * Rows [from, to) of a float32 block through a five-section cascade into {@code dst} (may be
   * {@code src}), in time order or, with {@code reverse}, from the last row back; states in and out
   * through z0/z1. The same operations per channel as {@link #stepRow}, so the same bits, in another
   * order: a chunk of rows is copied to double ({@code scratch}), then each vector of channels runs
   * down the chunk with all ten section states in registers. Row by row, every section's state went
   * through memory at every sample and the filter ran at a third of the FMA units' rate. Each chunk
   * is told to {@code done} once it is stored.
   */
  static void run5(SosFilter.Coefficients k, float[] src, float[] dst, int from, int to, int cols,
      boolean reverse, double[][] z0, double[][] z1, double[] scratch, SosFilter.FinishedRows done) {
    final int end = cols - cols % L;
    final boolean bandpassShape = hasBandpassShape(k);
    for (int passed = 0; passed < to - from; passed += CHUNK_ROWS) {
      final int m = Math.min(CHUNK_ROWS, to - from - passed);
      final int base = (reverse ? to - passed - m : from + passed) * cols;
      final int n = m * cols;
      toDouble(src, base, scratch, n);
      for (int c = 0; c < end; c += L) {
        if (bandpassShape) {
          chunkBandpass5(k, scratch, m, cols, c, reverse, z0, z1);
        } else {
          chunk5(k, scratch, m, cols, c, reverse, z0, z1);
        }
      }
      for (int c = end; c < cols; c++) {
        for (int r = 0; r < m; r++) {
          final int i = (reverse ? m - 1 - r : r) * cols + c;
          scratch[i] = scalar(k, scratch[i], z0, z1, c);
        }
      }
      for (int i = 0; i < n; i++) {
        dst[base + i] = (float) scratch[i];
      }
      done.rows(base / cols, base / cols + m);
    }
  }

  /** {@code dst[i] = src[base + i]} for i < n. */
  private static void toDouble(float[] src, int base, double[] dst, int n) {
    int i = 0;
    for (; i <= n - F.length(); i += F.length()) {
      final FloatVector v = FloatVector.fromArray(F, src, base + i);
      ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).intoArray(dst, i);
      ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)).intoArray(dst, i + L);
    }
    for (; i < n; i++) {
      dst[i] = src[base + i];
    }
  }

  /** Channels c..c+L down the m rows of a chunk (up them with {@code reverse}), in place. */
  private static void chunk5(SosFilter.Coefficients k, double[] x, int m, int cols, int c,
      boolean reverse, double[][] z0, double[][] z1) {
    final DoubleVector b00 = DoubleVector.broadcast(D, k.b0[0]);
    final DoubleVector b01 = DoubleVector.broadcast(D, k.b1[0]);
    final DoubleVector b02 = DoubleVector.broadcast(D, k.b2[0]);
    final DoubleVector a01 = DoubleVector.broadcast(D, k.na1[0]);
    final DoubleVector a02 = DoubleVector.broadcast(D, k.na2[0]);
    final DoubleVector b10 = DoubleVector.broadcast(D, k.b0[1]);
    final DoubleVector b11 = DoubleVector.broadcast(D, k.b1[1]);
    final DoubleVector b12 = DoubleVector.broadcast(D, k.b2[1]);
    final DoubleVector a11 = DoubleVector.broadcast(D, k.na1[1]);
    final DoubleVector a12 = DoubleVector.broadcast(D, k.na2[1]);
    final DoubleVector b20 = DoubleVector.broadcast(D, k.b0[2]);
    final DoubleVector b21 = DoubleVector.broadcast(D, k.b1[2]);
    final DoubleVector b22 = DoubleVector.broadcast(D, k.b2[2]);
    final DoubleVector a21 = DoubleVector.broadcast(D, k.na1[2]);
    final DoubleVector a22 = DoubleVector.broadcast(D, k.na2[2]);
    final DoubleVector b30 = DoubleVector.broadcast(D, k.b0[3]);
    final DoubleVector b31 = DoubleVector.broadcast(D, k.b1[3]);
    final DoubleVector b32 = DoubleVector.broadcast(D, k.b2[3]);
    final DoubleVector a31 = DoubleVector.broadcast(D, k.na1[3]);
    final DoubleVector a32 = DoubleVector.broadcast(D, k.na2[3]);
    final DoubleVector b40 = DoubleVector.broadcast(D, k.b0[4]);
    final DoubleVector b41 = DoubleVector.broadcast(D, k.b1[4]);
    final DoubleVector b42 = DoubleVector.broadcast(D, k.b2[4]);
    final DoubleVector a41 = DoubleVector.broadcast(D, k.na1[4]);
    final DoubleVector a42 = DoubleVector.broadcast(D, k.na2[4]);
    DoubleVector p0 = DoubleVector.fromArray(D, z0[0], c);
    DoubleVector q0 = DoubleVector.fromArray(D, z1[0], c);
    DoubleVector p1 = DoubleVector.fromArray(D, z0[1], c);
    DoubleVector q1 = DoubleVector.fromArray(D, z1[1], c);
    DoubleVector p2 = DoubleVector.fromArray(D, z0[2], c);
    DoubleVector q2 = DoubleVector.fromArray(D, z1[2], c);
    DoubleVector p3 = DoubleVector.fromArray(D, z0[3], c);
    DoubleVector q3 = DoubleVector.fromArray(D, z1[3], c);
    DoubleVector p4 = DoubleVector.fromArray(D, z0[4], c);
    DoubleVector q4 = DoubleVector.fromArray(D, z1[4], c);
    final int step = reverse ? -cols : cols;
    int off = (reverse ? m - 1 : 0) * cols + c;
    for (int r = 0; r < m; r++, off += step) {
      DoubleVector x0 = DoubleVector.fromArray(D, x, off);
      DoubleVector y = x0.fma(b00, p0);
      p0 = y.fma(a01, x0.fma(b01, q0));
      q0 = y.fma(a02, x0.mul(b02));
      x0 = y;
      y = x0.fma(b10, p1);
      p1 = y.fma(a11, x0.fma(b11, q1));
      q1 = y.fma(a12, x0.mul(b12));
      x0 = y;
      y = x0.fma(b20, p2);
      p2 = y.fma(a21, x0.fma(b21, q2));
      q2 = y.fma(a22, x0.mul(b22));
      x0 = y;
      y = x0.fma(b30, p3);
      p3 = y.fma(a31, x0.fma(b31, q3));
      q3 = y.fma(a32, x0.mul(b32));
      x0 = y;
      y = x0.fma(b40, p4);
      p4 = y.fma(a41, x0.fma(b41, q4));
      q4 = y.fma(a42, x0.mul(b42));
      y.intoArray(x, off);
    }
    p0.intoArray(z0[0], c);
    q0.intoArray(z1[0], c);
    p1.intoArray(z0[1], c);
    q1.intoArray(z1[1], c);
    p2.intoArray(z0[2], c);
    q2.intoArray(z1[2], c);
    p3.intoArray(z0[3], c);
    q3.intoArray(z1[3], c);
    p4.intoArray(z0[4], c);
    q4.intoArray(z1[4], c);
  }

  /**
   * Whether the cascade has the shape of every 5th-order Butterworth bandpass that scipy's
   * {@code zpk2sos} (and {@link Butterworth}) makes: the gain in the first section, and sections
   * 1-4 with numerators {@code [1, b1, 1]}, {@code [1, b1, -1]}, {@code [1, b1, 1]},
   * {@code [1, b1, 1]} (zeros at z = ±1; for 300-6000 Hz: b1 = 2, 0, -2, -2). Checked for cut-offs
   * from 150 to 9000 Hz at 20 to 40 kHz.
   */
  static boolean hasBandpassShape(SosFilter.Coefficients k) {
    return k.sections == 5
        && k.b0[1] == 1 && k.b0[2] == 1 && k.b0[3] == 1 && k.b0[4] == 1
        && k.b2[1] == 1 && k.b2[2] == -1 && k.b2[3] == 1 && k.b2[4] == 1;
  }

  /**
   * {@link #chunk5} for a cascade of {@link #hasBandpassShape}, with the products by the unit
   * coefficients left out: {@code fma(1, x, z0)} is {@code x + z0}, {@code 1·x} is {@code x} and
   * {@code -1·x} is {@code -x}, all exactly, so the bits are {@link #chunk5}'s. What it gains:
   * 22 operations per row instead of 25, and 8 fewer coefficient vectors, so that the states and
   * coefficients (27 vectors) stay in the 32 vector registers instead of spilling: ~5 ns per row
   * of 8 channels instead of ~6.5 in a microbenchmark (fresh JVMs, in L1). A copy of
   * {@link #chunk5}'s loop rather than per-section flags inside it: a branch per section and row
   * cost what the unit products saved (6.2 ns).
   */
  private static void chunkBandpass5(SosFilter.Coefficients k, double[] x, int m, int cols, int c,
      boolean reverse, double[][] z0, double[][] z1) {
    final DoubleVector b00 = DoubleVector.broadcast(D, k.b0[0]);
    final DoubleVector b01 = DoubleVector.broadcast(D, k.b1[0]);
    final DoubleVector b02 = DoubleVector.broadcast(D, k.b2[0]);
    final DoubleVector a01 = DoubleVector.broadcast(D, k.na1[0]);
    final DoubleVector a02 = DoubleVector.broadcast(D, k.na2[0]);
    final DoubleVector b11 = DoubleVector.broadcast(D, k.b1[1]);
    final DoubleVector a11 = DoubleVector.broadcast(D, k.na1[1]);
    final DoubleVector a12 = DoubleVector.broadcast(D, k.na2[1]);
    final DoubleVector b21 = DoubleVector.broadcast(D, k.b1[2]);
    final DoubleVector a21 = DoubleVector.broadcast(D, k.na1[2]);
    final DoubleVector a22 = DoubleVector.broadcast(D, k.na2[2]);
    final DoubleVector b31 = DoubleVector.broadcast(D, k.b1[3]);
    final DoubleVector a31 = DoubleVector.broadcast(D, k.na1[3]);
    final DoubleVector a32 = DoubleVector.broadcast(D, k.na2[3]);
    final DoubleVector b41 = DoubleVector.broadcast(D, k.b1[4]);
    final DoubleVector a41 = DoubleVector.broadcast(D, k.na1[4]);
    final DoubleVector a42 = DoubleVector.broadcast(D, k.na2[4]);
    DoubleVector p0 = DoubleVector.fromArray(D, z0[0], c);
    DoubleVector q0 = DoubleVector.fromArray(D, z1[0], c);
    DoubleVector p1 = DoubleVector.fromArray(D, z0[1], c);
    DoubleVector q1 = DoubleVector.fromArray(D, z1[1], c);
    DoubleVector p2 = DoubleVector.fromArray(D, z0[2], c);
    DoubleVector q2 = DoubleVector.fromArray(D, z1[2], c);
    DoubleVector p3 = DoubleVector.fromArray(D, z0[3], c);
    DoubleVector q3 = DoubleVector.fromArray(D, z1[3], c);
    DoubleVector p4 = DoubleVector.fromArray(D, z0[4], c);
    DoubleVector q4 = DoubleVector.fromArray(D, z1[4], c);
    final int step = reverse ? -cols : cols;
    int off = (reverse ? m - 1 : 0) * cols + c;
    for (int r = 0; r < m; r++, off += step) {
      DoubleVector x0 = DoubleVector.fromArray(D, x, off);
      DoubleVector y = x0.fma(b00, p0);
      p0 = y.fma(a01, x0.fma(b01, q0));
      q0 = y.fma(a02, x0.mul(b02));
      x0 = y;
      y = x0.add(p1);
      p1 = y.fma(a11, x0.fma(b11, q1));
      q1 = y.fma(a12, x0);
      x0 = y;
      y = x0.add(p2);
      p2 = y.fma(a21, x0.fma(b21, q2));
      q2 = y.fma(a22, x0.neg());
      x0 = y;
      y = x0.add(p3);
      p3 = y.fma(a31, x0.fma(b31, q3));
      q3 = y.fma(a32, x0);
      x0 = y;
      y = x0.add(p4);
      p4 = y.fma(a41, x0.fma(b41, q4));
      q4 = y.fma(a42, x0);
      y.intoArray(x, off);
    }
    p0.intoArray(z0[0], c);
    q0.intoArray(z1[0], c);
    p1.intoArray(z0[1], c);
    q1.intoArray(z1[1], c);
    p2.intoArray(z0[2], c);
    q2.intoArray(z1[2], c);
    p3.intoArray(z0[3], c);
    q3.intoArray(z1[3], c);
    p4.intoArray(z0[4], c);
    q4.intoArray(z1[4], c);
  }

  /** One double row ({@code cur}, input then output) through the cascade. */
  static void step(SosFilter.Coefficients k, double[] cur, double[][] z0, double[][] z1, int cols) {
    final int ns = k.sections;
    final int end = cols - cols % L;
    for (int c = 0; c < end; c += L) {
      DoubleVector x = DoubleVector.fromArray(D, cur, c);
      for (int s = 0; s < ns; s++) {
        x = section(k, s, x, z0[s], z1[s], c);
      }
      x.intoArray(cur, c);
    }
    for (int c = end; c < cols; c++) {
      cur[c] = scalar(k, cur[c], z0, z1, c);
    }
  }

  private static DoubleVector section(SosFilter.Coefficients k, int s, DoubleVector x,
      double[] za, double[] zb, int c) {
    final DoubleVector a = DoubleVector.fromArray(D, za, c);
    final DoubleVector b = DoubleVector.fromArray(D, zb, c);
    final DoubleVector y = x.fma(DoubleVector.broadcast(D, k.b0[s]), a);
    y.fma(DoubleVector.broadcast(D, k.na1[s]), x.fma(DoubleVector.broadcast(D, k.b1[s]), b))
        .intoArray(za, c);
    y.fma(DoubleVector.broadcast(D, k.na2[s]), x.mul(k.b2[s])).intoArray(zb, c);
    return y;
  }

  private static double scalar(SosFilter.Coefficients k, double x, double[][] z0, double[][] z1,
      int c) {
    for (int s = 0; s < k.sections; s++) {
      final double y = Math.fma(k.b0[s], x, z0[s][c]);
      z0[s][c] = Math.fma(k.na1[s], y, Math.fma(k.b1[s], x, z1[s][c]));
      z1[s][c] = Math.fma(k.na2[s], y, k.b2[s] * x);
      x = y;
    }
    return x;
  }
}
