package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
          // rep % 3 == 0: many ties; rep % 3 == 1: zeros of both signs among them
          a[i] = rep % 3 == 0 ? rnd.nextInt(4) : rep % 3 == 1 && rnd.nextInt(3) == 0
              ? (rnd.nextBoolean() ? -0f : 0f) : (float) rnd.nextGaussian();
        }
        float[] s = a.clone();
        Arrays.sort(s);
        float expected = (n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2f) + 0f; // never -0
        assertEquals(Float.floatToRawIntBits(expected),
            Float.floatToRawIntBits(CommonReference.median(a.clone(), n)), "n=" + n);
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

  /** Equal bit for bit (NaN payloads included, and the sign of zeros), with the first difference. */
  static void assertSameBits(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        throw new AssertionError(what + ": first difference at " + i + ": expected " + expected[i]
            + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + "), got "
            + actual[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")");
      }
    }
  }

  /** x - median per row, one float32 subtraction per value (as numpy's x - med[:, None]). */
  private static float[] minusRowValue(float[] x, int rows, int cols, float[] perRow) {
    float[] y = new float[x.length];
    for (int t = 0; t < rows; t++) {
      for (int c = 0; c < cols; c++) {
        y[t * cols + c] = x[t * cols + c] - perRow[t];
      }
    }
    return y;
  }

  /**
   * The tracker's golden (make_golden.py, tracked_median_cases): bandpassed noise with a common
   * signal, steps that make the prediction miss, NaN rows, constant and zero rows, integer values
   * (ties), ties across both middle ranks, infinities, an infinite median, values over 60 orders
   * of magnitude; 384 and 385 channels. Both paths, bit for bit against numpy.
   */
  @Test
  void trackedMedianMatchesNumpyOnBothPaths() {
    for (int cols : new int[] {384, 385}) {
      Npy x = Npy.read("cmr_track_x_" + cols);
      int rows = x.shape[0];
      float[] expected = minusRowValue(x.floats, rows, cols, Npy.read("cmr_track_median_" + cols).floats);
      for (boolean vector : new boolean[] {true, false}) {
        float[] block = x.floats.clone();
        CommonReference.subtractMedian(block, rows, cols, vector);
        assertSameBits(expected, block, cols + " channels, vector=" + vector);
      }
    }
  }

  /**
   * The same rows, split into three groups of ~128 channels, each tracked on its own: interleaved
   * channels (gathered) and runs of consecutive channels as shanks (read in place).
   */
  @Test
  void trackedGroupMediansMatchNumpyOnBothPaths() {
    for (int cols : new int[] {384, 385}) {
      for (boolean shanks : new boolean[] {false, true}) {
        trackedGroupMediansMatchNumpy(cols, shanks);
      }
    }
  }

  private static void trackedGroupMediansMatchNumpy(int cols, boolean shanks) {
    Npy x = Npy.read("cmr_track_x_" + cols);
    int rows = x.shape[0];
    float[] med = Npy.read((shanks ? "cmr_track_shank_median_" : "cmr_track_group_median_") + cols).floats; // rows × 3
    int[] group = new int[cols];
    for (int c = 0; c < cols; c++) {
      group[c] = shanks ? Math.min(c / 128, 2) : c % 3;
    }
    float[] expected = new float[x.floats.length];
    for (int t = 0; t < rows; t++) {
      for (int c = 0; c < cols; c++) {
        expected[t * cols + c] = x.floats[t * cols + c] - med[t * 3 + group[c]];
      }
    }
    int[] setOf = new int[cols];
    int[][] sets = SubsetReference.groupSets(group, setOf);
    for (boolean vector : new boolean[] {true, false}) {
      float[] block = x.floats.clone();
      SubsetReference.subtract(block, rows, cols, sets, setOf, true, vector);
      assertSameBits(expected, block, cols + " channels in " + (shanks ? "shanks" : "groups") + ", vector=" + vector);
    }
  }

  /**
   * The golden rows really exercise the fast path: on the smooth stretch almost every row is
   * settled by the passes, and the steps, NaN rows and extreme rows fall back without harm.
   */
  @Test
  void smoothRowsStayOnTheFastPath() {
    Npy x = Npy.read("cmr_track_x_384");
    RowMedians smooth = new RowMedians(384, true);
    for (int t = 0; t < 120; t++) {
      smooth.median(x.floats, t * 384, 384);
    }
    assertTrue(smooth.rows >= 110, "rows on the vector path: " + smooth.rows);
    assertTrue(smooth.exact <= 6, "rows that needed quickselect: " + smooth.exact);
    assertTrue(smooth.passes <= 3 * smooth.rows, "passes " + smooth.passes);
  }

  /**
   * Signed zeros: np.median never returns -0 (its mean's float32 sum starts at +0); neither does
   * either path, whatever zeros sit at the middle ranks and whatever rows came before.
   */
  @Test
  void zeroMediansArePositiveLikeNumpyOnBothPaths() {
    Random rnd = new Random(11);
    for (int n : new int[] {32, 33, 64, 384, 385}) {
      for (int rep = 0; rep < 40; rep++) {
        // a history of smooth rows, then a row of zeros of both signs around the middle
        int history = 1 + rnd.nextInt(20);
        float[] block = new float[(history + 1) * n];
        float level = (float) rnd.nextGaussian() * 3;
        for (int t = 0; t < history; t++) {
          level += (float) rnd.nextGaussian() * 0.1f;
          for (int c = 0; c < n; c++) {
            block[t * n + c] = level + (float) rnd.nextGaussian();
          }
        }
        int off = history * n;
        int negatives = n / 2 - 3 + rnd.nextInt(5);
        int zeros = 1 + rnd.nextInt(7);
        for (int c = 0; c < n; c++) {
          float v = c < negatives ? -1 - rnd.nextFloat() : c < negatives + zeros
              ? (rnd.nextBoolean() ? -0f : 0f) : 1 + rnd.nextFloat();
          block[off + c] = v;
        }
        float[] row = Arrays.copyOfRange(block, off, off + n);
        float[] sorted = row.clone();
        Arrays.sort(sorted);
        float expected = (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2f) + 0f;
        RowMedians tracked = new RowMedians(n, true);
        RowMedians plain = new RowMedians(n, false);
        for (int t = 0; t < history; t++) {
          tracked.median(block, t * n, n);
        }
        String what = "n=" + n + " rep=" + rep;
        assertEquals(Float.floatToRawIntBits(expected),
            Float.floatToRawIntBits(tracked.median(block, off, n)), what + " (vector)");
        assertEquals(Float.floatToRawIntBits(expected),
            Float.floatToRawIntBits(plain.median(block, off, n)), what + " (plain)");
        assertEquals(Float.floatToRawIntBits(expected),
            Float.floatToRawIntBits(CommonReference.median(row.clone(), n)), what + " (quickselect)");
      }
    }
  }

  /**
   * Random walks of many shapes (channel counts around vector multiples, both parities), with ties,
   * jumps, NaN and infinite values sprinkled in: the two paths and a full sort agree bit for bit.
   */
  @Test
  void pathsAgreeWithSortingOnRandomStreams() {
    Random rnd = new Random(5);
    int[] counts = {31, 32, 33, 47, 48, 63, 64, 65, 96, 127, 128, 129, 200, 383, 384, 385};
    for (int n : counts) {
      for (int rep = 0; rep < 3; rep++) {
        int rows = 300;
        float[] x = new float[rows * n];
        double level = 0;
        double scale = Math.pow(10, rnd.nextInt(7) - 3);
        for (int t = 0; t < rows; t++) {
          level += rnd.nextGaussian() * 0.3 + (rnd.nextInt(60) == 0 ? rnd.nextGaussian() * 50 : 0);
          boolean ties = rnd.nextInt(8) == 0;
          for (int c = 0; c < n; c++) {
            double v = level + rnd.nextGaussian() * (c % 5 + 1);
            x[t * n + c] = (float) ((ties ? Math.rint(v) : v) * scale);
          }
          int r = rnd.nextInt(100);
          if (r == 0) {
            x[t * n + rnd.nextInt(n)] = Float.NaN;
          } else if (r < 4) {
            x[t * n + rnd.nextInt(n)] = rnd.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
          }
        }
        float[] expected = new float[rows];
        for (int t = 0; t < rows; t++) {
          float[] s = Arrays.copyOfRange(x, t * n, t * n + n);
          Arrays.sort(s); // NaN sorts last
          expected[t] = s[n - 1] != s[n - 1] ? Float.NaN
              : (n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2f) + 0f;
        }
        for (boolean vector : new boolean[] {true, false}) {
          RowMedians m = new RowMedians(n, vector);
          float[] got = new float[rows];
          for (int t = 0; t < rows; t++) {
            got[t] = m.median(x, t * n, n);
          }
          assertSameBits(expected, got, "n=" + n + " rep=" + rep + " vector=" + vector);
        }
      }
    }
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
