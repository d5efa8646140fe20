package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommonReferenceTest {

  /**
   * Exact: the median is one input value (odd count) or (a + b) / 2 in float32 (even count), as
   * np.median computes it on float32 data, and the subtraction is one float32 operation, so the
   * result must be bit-identical to numpy's.
   */
  @Test
  void medianReferenceMatchesNumpyExactly() {
    for (int cols : new int[] {7, 8}) {
      Npy x = Npy.read("cmr_x_" + cols);
      Npy y = Npy.read("cmr_y_" + cols);
      float[] block = x.floats.clone();
      CommonReference.subtractMedian(block, x.shape[0], cols);
      assertArrayEquals(y.floats, block, 0f, cols + " channels");
    }
  }

  @Test
  void selectionAgreesWithSortingOnManyShapes() {
    Random rnd = new Random(3);
    for (int n = 1; n <= 400; n += (n < 40 ? 1 : 37)) {
      for (int rep = 0; rep < 20; rep++) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          // rep % 3 == 0: many ties
          a[i] = rep % 3 == 0 ? rnd.nextInt(4) : (float) rnd.nextGaussian();
        }
        float[] s = a.clone();
        Arrays.sort(s);
        float expected = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2f;
        assertEquals(expected, CommonReference.median(a.clone(), n), 0f, "n=" + n);
      }
    }
  }

  @Test
  void nanRowGivesNanLikeNumpy() {
    float[] block = {1, Float.NaN, 3, 4, 5, 6, 7, 8};
    CommonReference.subtractMedian(block, 2, 4);
    for (int c = 0; c < 4; c++) {
      assertEquals(Float.NaN, block[c], 0f);
    }
    assertArrayEquals(new float[] {-1.5f, -0.5f, 0.5f, 1.5f}, java.util.Arrays.copyOfRange(block, 4, 8), 0f);
  }

  /** Mean reference: double accumulation rounded once, vs numpy's float32 pairwise sum. */
  @Test
  void averageReferenceRemovesTheMean() {
    Npy x = Npy.read("cmr_x_8");
    float[] block = x.floats.clone();
    CommonReference.subtractAverage(block, 500, 8);
    for (int t = 0; t < 500; t++) {
      double mean = 0;
      for (int c = 0; c < 8; c++) {
        mean += x.floats[t * 8 + c];
      }
      mean /= 8;
      for (int c = 0; c < 8; c++) {
        assertEquals(x.floats[t * 8 + c] - mean, block[t * 8 + c], 1e-5);
      }
    }
  }
}
