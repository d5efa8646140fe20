package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Section-by-section comparison with scipy's iirfilter(..., output='sos'). Tolerance 1e-10
 * relative to the largest coefficient of the section: each coefficient is a sum/product of at
 * most two poles or zeros computed by the same sequence of double operations as scipy, so the
 * difference is a few ulps (libm tan/cos/sin and complex sqrt may differ by an ulp); 1e-10 leaves
 * room for that while catching any different pairing, ordering or gain placement (those differ at
 * O(1)).
 */
class ButterworthTest {

  private static void assertSos(String golden, Sos actual) {
    double[][] expected = Npy.read(golden).rows2d();
    assertEquals(expected.length, actual.numSections(), golden + ": number of sections");
    for (int s = 0; s < expected.length; s++) {
      double scale = 0;
      for (double v : expected[s]) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int k = 0; k < 6; k++) {
        double err = Math.abs(expected[s][k] - actual.get(s, k));
        assertTrue(err <= 1e-10 * scale, golden + ": section " + s + " coefficient " + k
            + " expected " + expected[s][k] + " got " + actual.get(s, k));
      }
      // first-order sections must have exact zeros, since sosfiltfilt's padlen counts them
      assertEquals(expected[s][2] == 0, actual.get(s, 2) == 0, golden + " b2 zero");
      assertEquals(expected[s][5] == 0, actual.get(s, 5) == 0, golden + " a2 zero");
    }
  }

  @Test
  void bandpassMatchesScipy() {
    assertSos("sos_bp5_300_6000_fs30000", Butterworth.bandpass(5, 300, 6000, 30000));
    assertSos("sos_bp5_300_6000_fs29999.757983",
        Butterworth.bandpass(5, 300, 6000, 29999.757983));
    assertSos("sos_bp2_1_1200_fs2500", Butterworth.bandpass(2, 1, 1200, 2500));
  }

  @Test
  void highpassMatchesScipy() {
    assertSos("sos_hp3_300_fs30000", Butterworth.highpass(3, 300, 30000));
    assertSos("sos_hp5_300_fs30000", Butterworth.highpass(5, 300, 30000));
  }

  @Test
  void lowpassMatchesScipy() {
    assertSos("sos_lp5_6000_fs30000", Butterworth.lowpass(5, 6000, 30000));
    assertSos("sos_lp4_1000_fs2500", Butterworth.lowpass(4, 1000, 2500));
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void validationMessagesNameTheProblem() {
    assertEquals("bandpass high cutoff 16000 Hz is at or above Nyquist (15000 Hz for a 30000 Hz"
        + " recording)", message(() -> Butterworth.bandpass(5, 300, 16000, 30000)));
    assertEquals("bandpass high cutoff 15000 Hz is at or above Nyquist (15000 Hz for a 30000 Hz"
        + " recording)", message(() -> Butterworth.bandpass(5, 300, 15000, 30000)));
    assertEquals("highpass cutoff 15000 Hz is at or above Nyquist (14999.8789915 Hz for a"
        + " 29999.757983 Hz recording)", message(() -> Butterworth.highpass(3, 15000,
            29999.757983)));
    assertEquals("bandpass low cutoff must be above 0 Hz, got 0 Hz",
        message(() -> Butterworth.bandpass(5, 0, 6000, 30000)));
    assertEquals("lowpass cutoff must be above 0 Hz, got -5 Hz",
        message(() -> Butterworth.lowpass(5, -5, 30000)));
    assertEquals("bandpass low cutoff 6000 Hz must be below the high cutoff 300 Hz",
        message(() -> Butterworth.bandpass(5, 6000, 300, 30000)));
    assertEquals("bandpass low cutoff 300 Hz must be below the high cutoff 300 Hz",
        message(() -> Butterworth.bandpass(5, 300, 300, 30000)));
    assertEquals("filter order must be at least 1, got 0",
        message(() -> Butterworth.highpass(0, 300, 30000)));
    assertTrue(message(() -> Butterworth.highpass(3, 300, 0)).startsWith("sampling rate"));
    assertTrue(message(() -> Butterworth.highpass(3, Double.NaN, 30000)).contains("finite"));
  }
}
