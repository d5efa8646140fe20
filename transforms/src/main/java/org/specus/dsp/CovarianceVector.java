package org.specus.dsp;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CovarianceAccumulator}'s panel update with {@code jdk.incubator.vector}: for one panel of
 * rows (as double rows {@code p[0..kc)}), adds {@code Σ_t p[t][i]·p[t][j]} to {@code g[i][j]} for
 * every {@code j >= i}.
 *
 * <p>Register blocking, as {@link WhiteningVector}: a tile of 4 rows i × 4 vectors of columns j
 * keeps 16 accumulators in registers while t runs over the panel, each step loading 4 vectors of
 * row t and broadcasting 4 of its values; only tiles that reach the upper triangle are computed
 * (tiles on the diagonal spend a few products on entries below it, which are not stored). Each
 * accumulator lane is the contract's chain {@code s = fma(p[t][i], p[t][j], s)}, t ascending from
 * +0, then {@code g[i][j] += s}: the same bits as the plain loops, because a product of two
 * float32 values is exact in double, so fma and multiply-then-add round alike.
 */
final class CovarianceVector {
  private CovarianceVector() {}

  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = D.length();

  /** @param tmp scratch of at least {@link #scratchSize()} doubles */
  static void panel(double[][] p, int kc, int n, double[][] g, double[] tmp) {
    final int wide = 4 * L;
    int j0 = 0;
    for (; j0 + wide <= n; j0 += wide) {
      int i0 = 0;
      for (; i0 < j0 + wide && i0 + 4 <= n; i0 += 4) {
        tile4x4(p, kc, g, i0, j0, tmp);
      }
      scalar(p, kc, g, i0, j0 + wide, j0, j0 + wide);
    }
    for (; j0 + L <= n; j0 += L) {
      int i0 = 0;
      for (; i0 < j0 + L && i0 + 4 <= n; i0 += 4) {
        tile4x1(p, kc, g, i0, j0, tmp);
      }
      scalar(p, kc, g, i0, j0 + L, j0, j0 + L);
    }
    scalar(p, kc, g, 0, n, j0, n); // columns that do not fill a vector
  }

  static int scratchSize() {
    return 16 * L;
  }

  /** Rows [i0, i1) × columns [j0, j1), upper triangle only, one chain per entry. */
  private static void scalar(double[][] p, int kc, double[][] g, int i0, int i1, int j0, int j1) {
    for (int i = i0; i < i1; i++) {
      for (int j = Math.max(i, j0); j < j1; j++) {
        double s = 0;
        for (int t = 0; t < kc; t++) {
          s = Math.fma(p[t][i], p[t][j], s);
        }
        g[i][j] += s;
      }
    }
  }

  /** Rows i0..i0+3 × columns j0..j0+4L. */
  private static void tile4x4(double[][] p, int kc, double[][] g, int i0, int j0, double[] tmp) {
    DoubleVector c00 = DoubleVector.zero(D), c01 = c00, c02 = c00, c03 = c00;
    DoubleVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    DoubleVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    DoubleVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    for (int t = 0; t < kc; t++) {
      final double[] r = p[t];
      final DoubleVector x0 = DoubleVector.fromArray(D, r, j0);
      final DoubleVector x1 = DoubleVector.fromArray(D, r, j0 + L);
      final DoubleVector x2 = DoubleVector.fromArray(D, r, j0 + 2 * L);
      final DoubleVector x3 = DoubleVector.fromArray(D, r, j0 + 3 * L);
      DoubleVector a = DoubleVector.broadcast(D, r[i0]);
      c00 = a.fma(x0, c00);
      c01 = a.fma(x1, c01);
      c02 = a.fma(x2, c02);
      c03 = a.fma(x3, c03);
      a = DoubleVector.broadcast(D, r[i0 + 1]);
      c10 = a.fma(x0, c10);
      c11 = a.fma(x1, c11);
      c12 = a.fma(x2, c12);
      c13 = a.fma(x3, c13);
      a = DoubleVector.broadcast(D, r[i0 + 2]);
      c20 = a.fma(x0, c20);
      c21 = a.fma(x1, c21);
      c22 = a.fma(x2, c22);
      c23 = a.fma(x3, c23);
      a = DoubleVector.broadcast(D, r[i0 + 3]);
      c30 = a.fma(x0, c30);
      c31 = a.fma(x1, c31);
      c32 = a.fma(x2, c32);
      c33 = a.fma(x3, c33);
    }
    if (i0 + 3 <= j0) { // the whole tile is on or above the diagonal
      final double[] g0 = g[i0];
      final double[] g1 = g[i0 + 1];
      final double[] g2 = g[i0 + 2];
      final double[] g3 = g[i0 + 3];
      DoubleVector.fromArray(D, g0, j0).add(c00).intoArray(g0, j0);
      DoubleVector.fromArray(D, g0, j0 + L).add(c01).intoArray(g0, j0 + L);
      DoubleVector.fromArray(D, g0, j0 + 2 * L).add(c02).intoArray(g0, j0 + 2 * L);
      DoubleVector.fromArray(D, g0, j0 + 3 * L).add(c03).intoArray(g0, j0 + 3 * L);
      DoubleVector.fromArray(D, g1, j0).add(c10).intoArray(g1, j0);
      DoubleVector.fromArray(D, g1, j0 + L).add(c11).intoArray(g1, j0 + L);
      DoubleVector.fromArray(D, g1, j0 + 2 * L).add(c12).intoArray(g1, j0 + 2 * L);
      DoubleVector.fromArray(D, g1, j0 + 3 * L).add(c13).intoArray(g1, j0 + 3 * L);
      DoubleVector.fromArray(D, g2, j0).add(c20).intoArray(g2, j0);
      DoubleVector.fromArray(D, g2, j0 + L).add(c21).intoArray(g2, j0 + L);
      DoubleVector.fromArray(D, g2, j0 + 2 * L).add(c22).intoArray(g2, j0 + 2 * L);
      DoubleVector.fromArray(D, g2, j0 + 3 * L).add(c23).intoArray(g2, j0 + 3 * L);
      DoubleVector.fromArray(D, g3, j0).add(c30).intoArray(g3, j0);
      DoubleVector.fromArray(D, g3, j0 + L).add(c31).intoArray(g3, j0 + L);
      DoubleVector.fromArray(D, g3, j0 + 2 * L).add(c32).intoArray(g3, j0 + 2 * L);
      DoubleVector.fromArray(D, g3, j0 + 3 * L).add(c33).intoArray(g3, j0 + 3 * L);
      return;
    }
    // on the diagonal: through the scratch, upper triangle only (vectors are not passed to
    // helper methods: a call C2 does not inline would box them)
    final int w = 4 * L;
    c00.intoArray(tmp, 0);
    c01.intoArray(tmp, L);
    c02.intoArray(tmp, 2 * L);
    c03.intoArray(tmp, 3 * L);
    c10.intoArray(tmp, w);
    c11.intoArray(tmp, w + L);
    c12.intoArray(tmp, w + 2 * L);
    c13.intoArray(tmp, w + 3 * L);
    c20.intoArray(tmp, 2 * w);
    c21.intoArray(tmp, 2 * w + L);
    c22.intoArray(tmp, 2 * w + 2 * L);
    c23.intoArray(tmp, 2 * w + 3 * L);
    c30.intoArray(tmp, 3 * w);
    c31.intoArray(tmp, 3 * w + L);
    c32.intoArray(tmp, 3 * w + 2 * L);
    c33.intoArray(tmp, 3 * w + 3 * L);
    addUpper(g, tmp, i0, j0, w);
  }

  /** Rows i0..i0+3 × columns j0..j0+L. */
  private static void tile4x1(double[][] p, int kc, double[][] g, int i0, int j0, double[] tmp) {
    DoubleVector c0 = DoubleVector.zero(D), c1 = c0, c2 = c0, c3 = c0;
    for (int t = 0; t < kc; t++) {
      final double[] r = p[t];
      final DoubleVector x = DoubleVector.fromArray(D, r, j0);
      c0 = DoubleVector.broadcast(D, r[i0]).fma(x, c0);
      c1 = DoubleVector.broadcast(D, r[i0 + 1]).fma(x, c1);
      c2 = DoubleVector.broadcast(D, r[i0 + 2]).fma(x, c2);
      c3 = DoubleVector.broadcast(D, r[i0 + 3]).fma(x, c3);
    }
    if (i0 + 3 <= j0) {
      DoubleVector.fromArray(D, g[i0], j0).add(c0).intoArray(g[i0], j0);
      DoubleVector.fromArray(D, g[i0 + 1], j0).add(c1).intoArray(g[i0 + 1], j0);
      DoubleVector.fromArray(D, g[i0 + 2], j0).add(c2).intoArray(g[i0 + 2], j0);
      DoubleVector.fromArray(D, g[i0 + 3], j0).add(c3).intoArray(g[i0 + 3], j0);
      return;
    }
    c0.intoArray(tmp, 0);
    c1.intoArray(tmp, L);
    c2.intoArray(tmp, 2 * L);
    c3.intoArray(tmp, 3 * L);
    addUpper(g, tmp, i0, j0, L);
  }

  /** g[i0 + r][j0 + k] += tmp[r * w + k] for r < 4, k < w, where j0 + k >= i0 + r. */
  private static void addUpper(double[][] g, double[] tmp, int i0, int j0, int w) {
    for (int r = 0; r < 4; r++) {
      final int i = i0 + r;
      final double[] row = g[i];
      for (int k = Math.max(0, i - j0); k < w; k++) {
        row[j0 + k] += tmp[r * w + k];
      }
    }
  }
}
