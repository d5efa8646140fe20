package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Covariance, eps rule, ZCA matrix and its application against numpy (zca_* goldens). */
class WhiteningTest {

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /**
   * XᵀX/N accumulated in double from the same float32 data as numpy's float64 X.T @ X / N: only
   * the summation order differs (3000 terms), so 1e-12 of the largest entry is ample.
   */
  @Test
  void covarianceMatchesNumpy() {
    for (boolean vector : new boolean[] {true, false}) {
      covarianceMatchesNumpy(vector);
    }
  }

  private void covarianceMatchesNumpy(boolean vector) {
    Npy x = Npy.read("zca_x");
    int rows = x.shape[0];
    int cols = x.shape[1];
    CovarianceAccumulator acc = new CovarianceAccumulator(cols);
    // split into uneven blocks and merge, as tiles would
    CovarianceAccumulator other = new CovarianceAccumulator(cols);
    int split = 1237;
    acc.add(java.util.Arrays.copyOfRange(x.floats, 0, split * cols), split, cols, vector);
    other.add(java.util.Arrays.copyOfRange(x.floats, split * cols, rows * cols), rows - split,
        cols, vector);
    acc.merge(other);
    assertEquals(rows, acc.count());
    double[] cov = acc.covariance();
    double[] ref = Npy.read("zca_cov").data;
    double scale = maxAbs(ref);
    for (int i = 0; i < ref.length; i++) {
      assertEquals(ref[i], cov[i], 1e-12 * scale, "entry " + i);
    }
    for (int i = 0; i < cols; i++) { // full symmetric matrix
      for (int j = 0; j < cols; j++) {
        assertEquals(cov[i * cols + j], cov[j * cols + i], 0.0);
      }
    }
  }

  /**
   * Against sums carried in double-double (each exact float·float product added with TwoSum):
   * 384 channels with DC offsets and a wide spread of scales, 3000 rows (47 panels). The error of
   * every entry stays within a few ulps of its size, on both paths; the sum of a panel of 64
   * products then 47 panel sums is ~(64 + 47)·2^-53 relative at worst.
   */
  @Test
  void covarianceIsAccurateOnWideBlocks() {
    int rows = 3000;
    int cols = 384;
    java.util.Random r = new java.util.Random(9);
    float[] x = new float[rows * cols];
    for (int t = 0; t < rows; t++) {
      for (int c = 0; c < cols; c++) {
        x[t * cols + c] = (float) ((r.nextGaussian() * (1 + c % 13) + (c % 7) * 30) * Math.pow(2, c % 5));
      }
    }
    double[] hi = new double[cols * cols];
    double[] lo = new double[cols * cols];
    double[] abs = new double[cols * cols];
    for (int t = 0; t < rows; t++) {
      for (int i = 0; i < cols; i++) {
        double a = x[t * cols + i];
        for (int j = i; j < cols; j++) {
          double p = a * x[t * cols + j]; // exact
          int k = i * cols + j;
          double s = hi[k] + p;
          double bb = s - hi[k];
          lo[k] += (hi[k] - (s - bb)) + (p - bb);
          hi[k] = s;
          abs[k] += Math.abs(p);
        }
      }
    }
    for (boolean vector : new boolean[] {true, false}) {
      CovarianceAccumulator acc = new CovarianceAccumulator(cols);
      acc.add(x, rows, cols, vector);
      double[] g = acc.gram();
      double worst = 0;
      for (int i = 0; i < cols; i++) {
        for (int j = i; j < cols; j++) {
          int k = i * cols + j;
          double exact = hi[k] + lo[k];
          worst = Math.max(worst, Math.abs(g[k] - exact) / abs[k]);
        }
      }
      assertTrue(worst < (64 + 47) * 0x1p-53, "vector=" + vector + ": worst relative error " + worst);
    }
  }

  /** The histogram median of x² is within its documented ±0.8 %, and eps follows the rule. */
  @Test
  void epsFollowsSpikeInterfaceRule() {
    Npy x = Npy.read("zca_x");
    CovarianceAccumulator acc = new CovarianceAccumulator(x.shape[1]);
    acc.add(x.floats, x.shape[0], x.shape[1]);
    double medSq = Npy.read("zca_median_sq").data[0];
    double eps = Npy.read("zca_eps").data[0];
    assertTrue(medSq > 0 && medSq < 1, "golden data are meant to exercise the 1e-3 branch");
    assertEquals(medSq, acc.medianOfSquares(), 0.008 * medSq);
    assertEquals(eps, acc.spikeInterfaceEps(), 0.008 * eps);

    assertEquals(1e-3 * 0.5, CovarianceAccumulator.epsFor(0.5), 0.0);
    assertEquals(1e-16, CovarianceAccumulator.epsFor(0.0), 0.0); // median 0: floor
    assertEquals(1e-16, CovarianceAccumulator.epsFor(1.0), 0.0); // not < 1
    assertEquals(1e-16, CovarianceAccumulator.epsFor(250.0), 0.0); // int16-scale data
    assertEquals(1e-16, CovarianceAccumulator.epsFor(1e-15), 0.0); // 1e-18 < floor

    // more than half the samples exactly zero: median 0, eps at the floor
    CovarianceAccumulator zeros = new CovarianceAccumulator(2);
    zeros.add(new float[] {0, 0, 0, 0.5f, 0, 3}, 3, 2);
    assertEquals(0.0, zeros.medianOfSquares(), 0.0);
    assertEquals(1e-16, zeros.spikeInterfaceEps(), 0.0);
  }

  /**
   * W from the golden covariance vs numpy's eigh route: W is a smooth function of the matrix
   * (well conditioned here: eigenvalues within ~100× of each other), so double rounding in two
   * different eigen-solvers agrees to ~1e-13; 1e-9 of max|W| as required.
   */
  @Test
  void zcaMatchesNumpy() {
    double[] cov = Npy.read("zca_cov").data;
    double eps = Npy.read("zca_eps").data[0];
    double[] ref = Npy.read("zca_w").data;
    double[] w = Zca.whiteningMatrix(cov, 16, eps);
    double scale = maxAbs(ref);
    for (int i = 0; i < ref.length; i++) {
      assertEquals(ref[i], w[i], 1e-9 * scale, "W entry " + i);
    }
  }

  @Test
  void zcaClampsNegativeEigenvaluesAndRejectsSingularWithoutEps() {
    // rank-1 covariance: eigenvalues 2 and (rounding) ~0, possibly slightly negative
    double[] cov = {1, 1, 1, 1};
    double[] w = Zca.whiteningMatrix(cov, 2, 1e-6);
    for (double v : w) {
      assertTrue(Double.isFinite(v));
    }
    assertThrows(IllegalArgumentException.class,
        () -> Zca.whiteningMatrix(new double[] {1, 0, 0, 0}, 2, 0.0));
  }

  /**
   * Whitened output: float32 multiply-adds over 16 channels against numpy's float64 product of
   * the same float32 inputs and float32 W: error ~ sqrt(16)·2^-24 relative; 1e-5 (rms, relative
   * to the output rms) as required.
   */
  @Test
  void whiteningMatchesNumpy() {
    Npy x = Npy.read("zca_x");
    double[] wd = Npy.read("zca_w").data;
    float[] w = new float[wd.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) wd[i];
    }
    double[] ref = Npy.read("zca_y").data; // first 500 samples
    int rows = ref.length / 16;
    float[] out = new float[rows * 16];
    Whitening.apply(x.floats, rows, 16, w, out);
    double e = SosFilterTest.rmsRel(out, ref);
    assertTrue(e < 1e-5, "whitening rms relative error " + e);
    double worst = 0;
    double scale = maxAbs(ref);
    for (int i = 0; i < ref.length; i++) {
      worst = Math.max(worst, Math.abs(out[i] - ref[i]));
    }
    assertTrue(worst < 1e-5 * scale, "whitening max error " + worst);
  }

  @Test
  void whiteningDecorrelates() {
    Npy x = Npy.read("zca_x");
    int rows = x.shape[0];
    double[] wd = Zca.whiteningMatrix(Npy.read("zca_cov").data, 16, 0.0);
    float[] w = new float[wd.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) wd[i];
    }
    float[] out = new float[x.floats.length];
    Whitening.apply(x.floats, rows, 16, w, out);
    CovarianceAccumulator acc = new CovarianceAccumulator(16);
    acc.add(out, rows, 16);
    double[] c = acc.covariance();
    for (int i = 0; i < 16; i++) {
      for (int j = 0; j < 16; j++) {
        assertEquals(i == j ? 1.0 : 0.0, c[i * 16 + j], 1e-4);
      }
    }
  }
}
