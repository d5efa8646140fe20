package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SosFilterTest {
  private static final Sos BP = Butterworth.bandpass(5, 300, 6000, 30000);
  private static final Sos HP = Butterworth.highpass(3, 300, 30000);

  /** rms(actual − expected) / rms(expected) over the whole block. */
  static double rmsRel(float[] actual, double[] expected) {
    double e = 0;
    double s = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = actual[i] - expected[i];
      e += d * d;
      s += expected[i] * expected[i];
    }
    return Math.sqrt(e / s);
  }

  /*
   * Tolerance: rms relative error < 1e-6. scipy runs in float64 throughout; we keep the state in
   * double but round the forward-pass result and the output to float32 (each ~2^-24 ≈ 6e-8
   * relative), so the expected error is ~1e-7; 1e-6 catches any wrong padding or initial state
   * (those make O(1e-2..1) errors near the edges).
   */
  @Test
  void filtfiltMatchesScipyBandpassAndHighpass() {
    Npy x = Npy.read("filt_x");
    int rows = x.shape[0];
    int cols = x.shape[1];
    float[] out = new float[rows * cols];
    SosFilter.filtfilt(BP, x.floats, rows, cols, out);
    double eBp = rmsRel(out, Npy.read("filt_bp5_y").data);
    assertTrue(eBp < 1e-6, "bandpass rms relative error " + eBp);
    SosFilter.filtfilt(HP, x.floats, rows, cols, out);
    double eHp = rmsRel(out, Npy.read("filt_hp3_y").data);
    assertTrue(eHp < 1e-6, "highpass rms relative error " + eHp);
    // the first and last samples, where padding and initial conditions matter most
    double[] ref = Npy.read("filt_hp3_y").data;
    for (int c = 0; c < cols; c++) {
      for (int t : new int[] {0, 1, rows - 2, rows - 1}) {
        double r = ref[t * cols + c];
        assertEquals(r, out[t * cols + c], 1e-5 * Math.max(1, Math.abs(r)), "t=" + t);
      }
    }
  }

  @Test
  void filtfiltWorksInPlace() {
    Npy x = Npy.read("filt_x");
    float[] out = new float[x.floats.length];
    SosFilter.filtfilt(BP, x.floats, 2000, 8, out);
    float[] inPlace = x.floats.clone();
    SosFilter.filtfilt(BP, inPlace, 2000, 8, inPlace);
    assertArrayEquals(out, inPlace);
  }

  @Test
  void forwardMatchesSosfiltAndBackwardIsTimeReversed() {
    Npy x = Npy.read("filt_x");
    float[] out = new float[x.floats.length];
    SosFilter.forward(BP, x.floats, 2000, 8, out);
    double[] ref = Npy.read("filt_bp5_forward_y").data; // first 400 samples
    double e = rmsRel(Arrays.copyOf(out, ref.length), ref);
    assertTrue(e < 1e-6, "forward rms relative error " + e); // only the output float rounding

    float[] rev = reverseRows(x.floats, 2000, 8);
    float[] back = new float[rev.length];
    SosFilter.backward(BP, rev, 2000, 8, back);
    assertArrayEquals(out, reverseRows(back, 2000, 8));
  }

  private static float[] reverseRows(float[] a, int rows, int cols) {
    float[] r = new float[a.length];
    for (int t = 0; t < rows; t++) {
      System.arraycopy(a, t * cols, r, (rows - 1 - t) * cols, cols);
    }
    return r;
  }

  @Test
  void tooShortBlockIsAClearError() {
    assertEquals(33, SosFilter.padlen(BP)); // 3 * (2*5 + 1)
    assertEquals(3 * (2 * 2 + 1 - 1), SosFilter.padlen(HP)); // one first-order section
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SosFilter.filtfilt(BP, new float[33 * 4], 33, 4, new float[33 * 4]));
    assertEquals("forward-backward filtering needs more than 33 samples (scipy's padlen for this"
        + " 5-section filter) but the block has 33", e.getMessage());
    SosFilter.filtfilt(BP, new float[34 * 4], 34, 4, new float[34 * 4]); // 34 is enough
  }

  @Test
  void settlingSamplesFollowsTheSlowestPole() {
    // slowest pole of the 300-6000 Hz order-5 bandpass at 30 kHz: |p| = 0.98212 (scipy)
    int m = SosFilter.settlingSamples(BP, 1e-9);
    assertEquals((int) Math.ceil(Math.log(1e-9) / Math.log(0.9821218095935988)), m);
    assertEquals(1149, m); // 38 ms at 30 kHz
    assertTrue(SosFilter.settlingSamples(BP, 1e-6) < m);
  }

  /**
   * The pipeline's tiling: filter [t0 − m, t1 + m) (clipped at the recording's edges, where
   * scipy's padding applies as for the whole signal), keep [t0, t1). With m =
   * settlingSamples(sos, 1e-9) the core must equal the whole-signal result to 1e-6 of the
   * filtered signal's rms (observed 3e-7 for the bandpass: one float32 ulp of the largest
   * outputs). The signal has per-channel DC offsets up to 70× the filtered rms, like raw int16
   * recordings, which make the edge transients largest. A tenth of the margin must visibly fail,
   * so the test is known to be sensitive.
   */
  @Test
  void tiledFilteringEqualsWholeSignalWithSettlingMargins() {
    assertTrue(worstTiledError(BP, SosFilter.settlingSamples(BP, 1e-9) / 10) > 1e-3);
    for (Sos sos : new Sos[] {BP, HP, Butterworth.highpass(5, 300, 30000)}) {
      int m = SosFilter.settlingSamples(sos, 1e-9);
      double worst = worstTiledError(sos, m);
      assertTrue(worst < 1e-6, sos + " margin " + m + ": worst relative difference " + worst);
    }
  }

  private static double worstTiledError(Sos sos, int m) {
    int rows = 20000;
    int cols = 5;
    float[] x = new float[rows * cols];
    Random rnd = new Random(7);
    for (int t = 0; t < rows; t++) {
      for (int c = 0; c < cols; c++) {
        x[t * cols + c] = (float) (rnd.nextGaussian() * 20 + 500 * (c - 2)
            + 30 * Math.sin(2 * Math.PI * 50 * t / 30000.0));
      }
    }
    float[] whole = new float[x.length];
    SosFilter.filtfilt(sos, x, rows, cols, whole);
    double rms = 0;
    for (float v : whole) {
      rms += v * v;
    }
    rms = Math.sqrt(rms / whole.length);
    int[][] tiles = {{0, 3000}, {3000, 7000}, {7000, 7500}, {9000, 16000}, {17000, 20000}};
    double worst = 0;
    for (int[] tile : tiles) {
      int a = Math.max(0, tile[0] - m);
      int b = Math.min(rows, tile[1] + m);
      float[] part = Arrays.copyOfRange(x, a * cols, b * cols);
      SosFilter.filtfilt(sos, part, b - a, cols, part);
      for (int t = tile[0]; t < tile[1]; t++) {
        for (int c = 0; c < cols; c++) {
          double d = Math.abs(part[(t - a) * cols + c] - whole[t * cols + c]);
          worst = Math.max(worst, d / rms);
        }
      }
    }
    return worst;
  }
}
