package org.specus.dsp;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SosFilter}'s per-sample step with {@code jdk.incubator.vector}: a vector of channels is
 * loaded once, goes through every section (each section's state read and written once), and is
 * stored once, where the plain loops make one pass over the row per section.
 *
 * <p>Only double vectors of the preferred shape are used here. Mixing shapes of one element type
 * in a JVM (say 256-bit and 512-bit float vectors) makes the Vector API's call sites polymorphic
 * and C2 falls back to boxed vectors in every kernel using that type: the whitening product ran
 * 40× slower after an earlier version of this filter had loaded rows as 256-bit float vectors. Channels that do not
 * fill a vector are done one by one. The operations per channel are exactly the plain path's
 * ({@link SosFilter#stepPlain}), so the bits are the same.
 */
final class SosFilterVector {
  private SosFilterVector() {}

  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = D.length();
  /**
   * One float32 row through the cascade into {@code dst} (may be {@code src}), via the double row
   * {@code cur}: the float/double conversions are plain loops (C2 vectorises them), so this class
   * uses no float vectors at all (see the class doc on shapes).
   */
  static void stepRow(SosFilter.Coefficients k, float[] src, int srcOff, float[] dst, int dstOff,
      double[] cur, double[][] z0, double[][] z1, int cols) {
    for (int c = 0; c < cols; c++) {
      cur[c] = src[srcOff + c];
    }
    if (k.sections == 5) {
      step5(k, cur, z0, z1, cols);
    } else {
      step(k, cur, z0, z1, cols);
    }
    for (int c = 0; c < cols; c++) {
      dst[dstOff + c] = (float) cur[c];
    }
  }

  /**
   * {@link #step} for five sections (an order-5 Butterworth bandpass, the default chain): the same
   * operations with the coefficients broadcast once per row and the section loop written out,
   * which C2 compiles to about 30 % less work than the loop.
   */
  private static void step5(SosFilter.Coefficients k, double[] cur, double[][] z0, double[][] z1,
      int cols) {
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
    final double[] z00 = z0[0];
    final double[] z01 = z1[0];
    final double[] z10 = z0[1];
    final double[] z11 = z1[1];
    final double[] z20 = z0[2];
    final double[] z21 = z1[2];
    final double[] z30 = z0[3];
    final double[] z31 = z1[3];
    final double[] z40 = z0[4];
    final double[] z41 = z1[4];
    final int end = cols - cols % L;
    for (int c = 0; c < end; c += L) {
      DoubleVector x = DoubleVector.fromArray(D, cur, c);
      DoubleVector y;
      DoubleVector p;
      DoubleVector q;
      p = DoubleVector.fromArray(D, z00, c);
      q = DoubleVector.fromArray(D, z01, c);
      y = x.fma(b00, p);
      y.fma(a01, x.fma(b01, q)).intoArray(z00, c);
      y.fma(a02, x.mul(b02)).intoArray(z01, c);
      x = y;
      p = DoubleVector.fromArray(D, z10, c);
      q = DoubleVector.fromArray(D, z11, c);
      y = x.fma(b10, p);
      y.fma(a11, x.fma(b11, q)).intoArray(z10, c);
      y.fma(a12, x.mul(b12)).intoArray(z11, c);
      x = y;
      p = DoubleVector.fromArray(D, z20, c);
      q = DoubleVector.fromArray(D, z21, c);
      y = x.fma(b20, p);
      y.fma(a21, x.fma(b21, q)).intoArray(z20, c);
      y.fma(a22, x.mul(b22)).intoArray(z21, c);
      x = y;
      p = DoubleVector.fromArray(D, z30, c);
      q = DoubleVector.fromArray(D, z31, c);
      y = x.fma(b30, p);
      y.fma(a31, x.fma(b31, q)).intoArray(z30, c);
      y.fma(a32, x.mul(b32)).intoArray(z31, c);
      x = y;
      p = DoubleVector.fromArray(D, z40, c);
      q = DoubleVector.fromArray(D, z41, c);
      y = x.fma(b40, p);
      y.fma(a41, x.fma(b41, q)).intoArray(z40, c);
      y.fma(a42, x.mul(b42)).intoArray(z41, c);
      x = y;
      x.intoArray(cur, c);
    }
    for (int c = end; c < cols; c++) {
      cur[c] = scalar(k, cur[c], z0, z1, c);
    }
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
