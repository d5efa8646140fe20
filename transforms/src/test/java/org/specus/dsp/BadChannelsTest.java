package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** IBL's coherence + PSD bad-channel labels against the numpy/scipy version (make_golden_ops.py). */
class BadChannelsTest {

  /*
   * Features are computed in double from the same float32 chunk; scipy's welch and numpy's sums
   * differ only in summation order: 1e-9 relative.
   */
  @Test
  void featuresAndLabelsMatchNumpy() {
    Npy x = Npy.read("ops/bc_x");
    int rows = x.shape[0];
    int cols = x.shape[1];
    BadChannels.Features f = BadChannels.features(x.floats, rows, cols, 30000, BadChannels.Params.spikeInterface());
    assertArrayEquals(Npy.read("ops/bc_xcorr").data, f.xcorr(), 1e-9);
    assertArrayEquals(Npy.read("ops/bc_near").data, f.near(), 1e-9);
    double[] psd = Npy.read("ops/bc_psd_hf").data;
    for (int c = 0; c < cols; c++) {
      assertEquals(psd[c], f.psdHf()[c], 1e-9 * psd[c], "psd_hf of channel " + c);
    }
    int[] expected = java.util.Arrays.stream(Npy.read("ops/bc_labels").data).mapToInt(d -> (int) d).toArray();
    assertArrayEquals(expected, BadChannels.labels(f, BadChannels.Params.spikeInterface()));
    assertEquals(BadChannels.DEAD, expected[5]);
    assertEquals(BadChannels.NOISE, expected[12]);
    assertEquals(BadChannels.OUTSIDE, expected[31]);
  }

  @Test
  void theModeOverChunksBreaksTiesTowardsTheSmallerLabel() {
    assertArrayEquals(new int[] {0, 2, 1},
        BadChannels.mode(List.of(new int[] {0, 2, 1}, new int[] {1, 2, 2}, new int[] {0, 0, 1}, new int[] {1, 2, 2}), 3));
  }

  @Test
  void depthOrderSortsByYThenX() {
    double[][] xy = {{43, 20}, {11, 20}, {59, 0}, {27, 0}};
    assertArrayEquals(new int[] {3, 2, 1, 0}, BadChannels.depthOrder(xy));
  }

  /** exp(−(d/20)^1.3) from the good channels, tiny weights dropped, normalised. */
  @Test
  void interpolationWeightsFollowIblKriging() {
    double[][] xy = {{0, 0}, {0, 20}, {0, 40}, {0, 400}};
    double[][] w = BadChannels.interpolationWeights(xy, new int[] {0, 1, 0, 0}, 20, 1.3);
    assertArrayEquals(new double[] {0.5, 0, 0.5, 0}, w[0], 1e-15);
    double[][] lone = BadChannels.interpolationWeights(xy, new int[] {0, 0, 0, 2}, 20, 1.3);
    assertArrayEquals(new double[4], lone[0]); // no good channel within reach: the channel becomes zero
  }
}
