package org.specus.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.specus.dsp.Golden;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.TileOp;

/**
 * Phase shift against an analytic delayed sinusoid and against numpy's rfft/irfft version of
 * SpikeInterface's algorithm on the same frames (make_golden_ops.py), in tiles of several lengths.
 */
class PhaseShiftOpTest {

  /** At 2.5 kHz, 40 ms margins are 100 samples and frames 512 long, so 3000 samples hold 10 frames. */
  @Test
  void matchesNumpyOnAnchoredFramesAndIsExactlyTileIndependent() {
    float[] x = Golden.floats("ops/x");
    int rows = Golden.shape("ops/x")[0];
    int cols = Golden.shape("ops/x")[1];
    double[] shifts = Golden.doubles("ops/ps_shifts");
    RecordingInfo info = OpHarness.info(2500.0, rows, cols, null, null, shifts);
    List<TileOp> ops = OpHarness.ops(info, List.of(PhaseShift.fromProbe()));
    assertEquals(512, ops.get(0).describe().get("frame_samples"));
    assertEquals(100, ops.get(0).describe().get("margin_samples"));
    float[] ref = Golden.floats("ops/ps_y");
    float[] whole = OpHarness.run(ops, x, rows, cols, rows, SideInputs.NONE);
    // double arithmetic on both sides, output rounded to float32 (and the golden stored so)
    double e = OpHarness.maxRel(whole, ref);
    assertTrue(e < 1e-6, "max error / rms = " + e);
    for (int tile : new int[] {1000, 313, 97}) {
      assertArrayEquals(whole, OpHarness.run(ops, x, rows, cols, tile, SideInputs.NONE), "tiles of " + tile);
    }
  }

  /**
   * Channel c sampled s_c late sees sin(2πf(n + s_c)/fs); corrected, it must read sin(2πfn/fs).
   * Away from the recording's edges (where the frames read zeros) the FFT method is accurate to
   * ~1e-4 of the amplitude (the numpy version of the same algorithm: 6e-5 at 7 kHz); before
   * correction the error is up to 1.2 at 7 kHz.
   */
  @Test
  void undoesTheDelayOfAnAnalyticSinusoid() {
    int rows = 40000;
    int cols = 24;
    double fs = 30000;
    double[] shifts = new double[cols];
    for (int c = 0; c < cols; c++) {
      shifts[c] = (c % 24) / 2 / 13.0;
    }
    RecordingInfo info = OpHarness.info(fs, rows, cols, null, null, shifts);
    List<TileOp> ops = OpHarness.ops(info, List.of(PhaseShift.fromProbe()));
    for (double f : new double[] {300, 1000, 3000, 7000}) {
      float[] x = new float[rows * cols];
      for (int t = 0; t < rows; t++) {
        for (int c = 0; c < cols; c++) {
          x[t * cols + c] = (float) Math.sin(2 * Math.PI * f * (t + shifts[c]) / fs);
        }
      }
      float[] y = OpHarness.run(ops, x, rows, cols, 30000, SideInputs.NONE);
      double worst = 0;
      for (int t = 2400; t < rows - 2400; t++) {
        double expected = Math.sin(2 * Math.PI * f * t / fs);
        for (int c = 0; c < cols; c++) {
          worst = Math.max(worst, Math.abs(y[t * cols + c] - expected));
        }
      }
      assertTrue(worst < 2e-4, f + " Hz: worst error " + worst);
    }
  }

  @Test
  void needsTheDelaysFromTheReaderOrExplicitly() {
    RecordingInfo noShifts = OpHarness.info(1000, 4, null, null, null);
    assertEquals("test.ap.bin: phase shift needs each channel's ADC sampling delay, and the reader does not know it"
            + " for this recording (probe type unknown?)",
        assertThrows(IllegalArgumentException.class,
            () -> OpHarness.ops(noShifts, List.of(PhaseShift.fromProbe()))).getMessage());
    assertEquals("test.ap.bin: phase shift has 2 channel shifts but the recording has 4 channels",
        assertThrows(IllegalArgumentException.class,
            () -> OpHarness.ops(noShifts, List.of(PhaseShift.of(new double[] {0, 0.5})))).getMessage());
  }
}
