package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    // 200 rows span two panels of the cache-blocked kernel; 384 and 130 channels fill whole
    // blocks, leftover vectors and leftover channels; 385 crosses the j steps unevenly.
    for (int cols : new int[] {1, 3, 8, 16, 17, 31, 64, 100, 130, 384, 385}) {
      for (int rows : new int[] {1, 5, 37, 200}) {
        float[] x = noise(rows, cols, cols * 31L + rows);
        float[] w = noise(cols, cols, 7 + cols);
        float[] plain = new float[rows * cols];
        float[] vector = new float[rows * cols];
        java.util.Arrays.fill(vector, Float.NaN); // a reused buffer: nothing may rely on out's old contents
        Whitening.applyPlain(x, rows, cols, w, plain);
        Whitening.applyVector(x, rows, cols, w, vector);
        assertArrayEquals(plain, vector, 0f, rows + " x " + cols);
        // both register blocks, whichever this machine prefers
        for (WhiteningVector.Block block : WhiteningVector.Block.values()) {
          java.util.Arrays.fill(vector, Float.NaN);
          Whitening.applyVector(x, rows, cols, w, vector, block);
          assertArrayEquals(plain, vector, 0f, rows + " x " + cols + ", " + block);
        }
      }
    }
  }

  @Test
  void bandpassVectorEqualsPlainBitForBit() {
    // 5 sections in the shape of the default bandpass: the unrolled kernel without unit products
    Sos bandpass = Butterworth.bandpass(5, 300, 6000, 30000);
    // 5 sections of another shape (its [1, 0, -1] numerator comes first): the general unrolled kernel
    Sos otherShape = Butterworth.bandpass(5, 300, 9000, 20000);
    Sos highpass = Butterworth.highpass(3, 300, 30000); // the generic section loop
    assertTrue(SosFilterVector.hasBandpassShape(new SosFilter.Coefficients(bandpass)));
    assertFalse(SosFilterVector.hasBandpassShape(new SosFilter.Coefficients(otherShape)));
    for (Sos sos : new Sos[] {bandpass, otherShape, highpass}) {
      for (int cols : CHANNELS) {
        int rows = 500;
        float[] x = noise(rows, cols, cols);
        float[] plain = new float[rows * cols];
        float[] vector = new float[rows * cols];
        SosFilter.filtfilt(sos, x, rows, cols, plain, false);
        SosFilter.filtfilt(sos, x, rows, cols, vector, true);
        assertArrayEquals(plain, vector, 0f, sos.numSections() + " sections, " + cols + " channels");
        // in place, as the pipeline runs it: 500 rows also end in a partial chunk of the kernel
        float[] inPlace = x.clone();
        SosFilter.filtfilt(sos, inPlace, rows, cols, inPlace, true);
        assertArrayEquals(plain, inPlace, 0f, sos.numSections() + " sections in place, " + cols + " channels");
      }
    }
  }

  /**
   * Covariance: panels of 64 rows, tiles of 4 rows × 4 vectors, vector tails and scalar tails;
   * both paths keep one fma chain per entry and panel, so the sums are the same bits, for blocks
   * shorter and longer than a panel.
   */
  @Test
  void covarianceVectorEqualsPlainBitForBit() {
    for (int cols : new int[] {1, 3, 4, 5, 8, 16, 17, 31, 33, 64, 100, 385}) {
      for (int rows : new int[] {1, 5, 63, 64, 65, 200}) {
        float[] x = noise(rows, cols, cols * 7L + rows);
        CovarianceAccumulator vector = new CovarianceAccumulator(cols);
        CovarianceAccumulator plain = new CovarianceAccumulator(cols);
        vector.add(x, rows, cols, true);
        plain.add(x, rows, cols, false);
        assertArrayEquals(plain.gram(), vector.gram(), 0.0, rows + " x " + cols);
        assertEquals(plain, vector, rows + " x " + cols);
      }
    }
  }

  /**
   * Median reference: the tracker (vector) and quickselect (plain) on smooth noisy rows with a
   * drifting common signal, per channel count; full blocks and groups of channels.
   */
  @Test
  void medianReferenceVectorEqualsPlainBitForBit() {
    for (int cols : new int[] {31, 32, 33, 64, 100, 385}) {
      int rows = 400;
      float[] x = noise(rows, cols, cols + 100);
      for (int t = 1; t < rows; t++) { // smooth rows: each one close to the one before
        for (int c = 0; c < cols; c++) {
          x[t * cols + c] = 0.8f * x[(t - 1) * cols + c] + 0.2f * x[t * cols + c] + (t % 97 == 0 ? 300 : 0);
        }
      }
      float[] plain = x.clone();
      float[] vector = x.clone();
      CommonReference.subtractMedian(plain, rows, cols, false);
      CommonReference.subtractMedian(vector, rows, cols, true);
      assertArrayEquals(plain, vector, 0f, cols + " channels");
      int[] group = new int[cols];
      for (int c = 0; c < cols; c++) {
        group[c] = c % 2;
      }
      int[] setOf = new int[cols];
      int[][] sets = SubsetReference.groupSets(group, setOf);
      plain = x.clone();
      vector = x.clone();
      SubsetReference.subtract(plain, rows, cols, sets, setOf, true, false);
      SubsetReference.subtract(vector, rows, cols, sets, setOf, true, true);
      assertArrayEquals(plain, vector, 0f, cols + " channels in two groups");
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
