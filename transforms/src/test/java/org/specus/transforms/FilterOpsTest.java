package org.specus.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.junit.jupiter.api.Test;
import org.specus.dsp.Golden;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.TileOp;
import org.specus.io.beam.Tiles;

/**
 * Highpass and bandpass in each direction against scipy on the whole array
 * (make_golden_ops.py: sosfilt, sosfilt on the reversed signal, sosfiltfilt), run in tiles of
 * several lengths: the margins from the lowest cutoff make the result independent of the tiling.
 */
class FilterOpsTest {
  static final float[] X = Golden.floats("ops/x");
  static final int ROWS = Golden.shape("ops/x")[0];
  static final int COLS = Golden.shape("ops/x")[1];
  static final RecordingInfo INFO = OpHarness.info(ROWS, COLS, null, null, null);

  static List<TileOp> ops(PTransform<Tiles, Tiles> t) {
    return OpHarness.ops(INFO, List.of(t));
  }

  /*
   * Tolerance: scipy runs in float64; we keep filter state in double and round the output to
   * float32 (forward-backward also rounds the intermediate), ~1e-7 relative; the golden is stored
   * in float32 (6e-8). 2e-6 of the output rms catches any wrong initial state or padding.
   */
  void check(PTransform<Tiles, Tiles> t, String golden) {
    float[] ref = Golden.floats("ops/" + golden);
    List<TileOp> ops = ops(t);
    for (int tile : new int[] {ROWS, 1000, 777, 250}) {
      float[] y = OpHarness.run(ops, X, ROWS, COLS, tile, SideInputs.NONE);
      double e = OpHarness.maxRel(y, ref);
      assertTrue(e < 2e-6, golden + " in tiles of " + tile + ": max error / rms = " + e);
    }
  }

  @Test
  void highpassForwardIsSosfilt() {
    check(Highpass.of(300).withOrder(3).withDirection(Direction.FORWARD), "hp3_forward");
  }

  @Test
  void bandpassBackwardIsSosfiltOnTheReversedSignal() {
    check(Bandpass.of(300, 6000).withDirection(Direction.BACKWARD), "bp5_backward");
  }

  @Test
  void highpassForwardBackwardIsSosfiltfilt() {
    check(Highpass.of(300), "hp5_filtfilt");
  }

  @Test
  void bandpassForwardOrder3IsSosfilt() {
    check(Bandpass.of(300, 6000).withOrder(3).withDirection(Direction.FORWARD), "bp3_forward");
  }

  @Test
  void marginsComeFromTheLowestCutoff() {
    int hp300 = ops(Highpass.of(300)).get(0).marginSamples();
    int hp150 = ops(Highpass.of(150)).get(0).marginSamples();
    int bp300 = ops(Bandpass.of(300, 6000)).get(0).marginSamples();
    assertTrue(hp150 > 1.8 * hp300, "halving the cutoff must about double the margin: " + hp300 + " vs " + hp150);
    assertTrue(Math.abs(bp300 - hp300) < 0.3 * hp300, "margin follows the lowest cutoff: " + bp300 + " vs " + hp300);
    assertEquals("forward", ops(Highpass.of(300).withDirection(Direction.FORWARD)).get(0).describe().get("direction"));
  }

  @Test
  void badParametersAreClearErrors() {
    assertEquals("highpass cutoff must be a positive frequency in Hz, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> Highpass.of(-1)).getMessage());
    assertEquals("highpass order must be between 1 and 12, got 0",
        assertThrows(IllegalArgumentException.class, () -> Highpass.of(300).withOrder(0)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ops(Highpass.of(20000))).getMessage()
        .startsWith("test.ap.bin: "));
    assertEquals("filter direction must be forward, backward or forward-backward, got 'sideways'",
        assertThrows(IllegalArgumentException.class, () -> Direction.parse("sideways")).getMessage());
    assertEquals(Direction.FORWARD_BACKWARD, Direction.parse("forward_backward"));
  }

  /**
   * scipy's sosfiltfilt refuses a signal no longer than its padlen (33 for the default bandpass);
   * the chain refuses such a recording while it is built, naming it, so that a run or a batch plan
   * knows before any tile is read. One-way filters have no padding and take any length.
   */
  @Test
  void aRecordingTooShortForForwardBackwardIsRefusedWhileBuilding() {
    RecordingInfo short33 = OpHarness.info(33, 4, null, null, null);
    assertEquals("test.ap.bin: bandpass forward-backward needs more than 33 samples (scipy's padlen for"
        + " this 5-section filter), but the recording has 33",
        assertThrows(IllegalArgumentException.class,
            () -> OpHarness.ops(short33, List.of(Bandpass.of(300, 6000)))).getMessage());
    // an odd order has a first-order section: padlen 3·(2·3 + 1 − 1)
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> OpHarness.ops(OpHarness.info(18, 4, null, null, null), List.of(Highpass.of(300)))).getMessage()
        .startsWith("test.ap.bin: highpass forward-backward needs more than 18 samples"));
    assertEquals(1, OpHarness.ops(OpHarness.info(34, 4, null, null, null), List.of(Bandpass.of(300, 6000)))
        .size());
    assertEquals(1, OpHarness.ops(short33, List.of(Bandpass.of(300, 6000).withDirection(Direction.FORWARD)))
        .size());
  }
}
