package org.specus.bench;

import java.util.SplittableRandom;

/** Realistic-enough benchmark inputs: 1 s tiles of 384 channels at 30 kHz (plus filter margins). */
final class KernelData {
  private KernelData() {}

  static final int CHANNELS = 384;
  static final int TILE = 30_000;
  /** Tile plus the bandpass margin on both sides, as the default chain reads it. */
  static final int TILE_WITH_MARGINS = TILE + 2 * 1149;

  /** Gaussian noise of int16-scale amplitude with a shared (common-mode) component. */
  static float[] signal(int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[rows * cols];
    for (int t = 0; t < rows; t++) {
      double common = gaussian(r) * 20;
      for (int c = 0; c < cols; c++) {
        x[t * cols + c] = (float) (common + gaussian(r) * 30);
      }
    }
    return x;
  }

  /** A symmetric positive definite matrix close to a whitening matrix's scale. */
  static float[] matrix(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] w = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        float v = (float) (i == j ? 0.05 : gaussian(r) * 1e-3);
        w[i * n + j] = v;
        w[j * n + i] = v;
      }
    }
    return w;
  }

  private static double gaussian(SplittableRandom r) {
    double u = r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }
}
