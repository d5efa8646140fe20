package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels and the plain-Java loops give the same bits (the determinism contract: an
 * output must not depend on whether a worker JVM had the vector module), on shapes that exercise
 * full vectors, vector tails and channel counts below one vector. The surefire JVM runs with
 * {@code --add-modules jdk.incubator.vector}, so both paths are available here.
 */
class SimdKernelsTest {
  private static final int[] CHANNELS = {1, 3, 8, 16, 17, 31, 64, 100, 385};

  private static float[] noise(int rows, int cols, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * 40 + (i % cols) * 0.5);
    }
    return x;
  }

  @Test
  void vectorModuleIsOnInTests() {
    assertTrue(Simd.ENABLED, "tests run with --add-modules jdk.incubator.vector: " + Simd.describe());
  }

  @Test
  void whiteningVectorEqualsPlainBitForBit() {
    for (int cols : CHANNELS) {
      for (int rows : new int[] {1, 5, 37}) {
        float[] x = noise(rows, cols, cols * 31L + rows);
        float[] w = noise(cols, cols, 7 + cols);
        float[] plain = new float[rows * cols];
        float[] vector = new float[rows * cols];
        Whitening.applyPlain(x, rows, cols, w, plain);
        Whitening.applyVector(x, rows, cols, w, vector);
        assertArrayEquals(plain, vector, 0f, rows + " x " + cols);
      }
    }
  }

  @Test
  void bandpassVectorEqualsPlainBitForBit() {
    Sos bandpass = Butterworth.bandpass(5, 300, 6000, 30000); // 5 sections: the unrolled kernel
    Sos highpass = Butterworth.highpass(3, 300, 30000); // the generic section loop
    for (Sos sos : new Sos[] {bandpass, highpass}) {
      for (int cols : CHANNELS) {
        int rows = 500;
        float[] x = noise(rows, cols, cols);
        float[] plain = new float[rows * cols];
        float[] vector = new float[rows * cols];
        SosFilter.filtfilt(sos, x, rows, cols, plain, false);
        SosFilter.filtfilt(sos, x, rows, cols, vector, true);
        assertArrayEquals(plain, vector, 0f, sos.numSections() + " sections, " + cols + " channels");
      }
    }
  }

  /** Subnormal matrix entries are applied as zero, identically on both paths. */
  @Test
  void subnormalWeightsActAsZero() {
    int rows = 9;
    int cols = 40;
    float[] x = noise(rows, cols, 5);
    float[] w = noise(cols, cols, 6);
    float[] flushed = w.clone();
    for (int i = 0; i < w.length; i += 7) {
      w[i] = i % 2 == 0 ? 1e-40f : -3e-42f;
      flushed[i] = 0f;
    }
    float[] expected = new float[rows * cols];
    Whitening.applyPlain(x, rows, cols, flushed, expected);
    float[] plain = new float[rows * cols];
    float[] vector = new float[rows * cols];
    Whitening.applyPlain(x, rows, cols, w, plain);
    Whitening.applyVector(x, rows, cols, w, vector);
    assertArrayEquals(expected, plain, 0f);
    assertArrayEquals(expected, vector, 0f);
  }
}
