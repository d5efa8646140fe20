package org.specus.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.jupiter.api.Test;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.TileOp;

/**
 * The default chain with its row ops fused into the filter's backward pass (the median reference
 * and the whitening run on a few hundred rows at a time, written cropped into the spare buffer)
 * gives the same bits as each op over the whole block in turn, in any tiling, including the
 * recording's edges and channels that do not fill a whitening block.
 */
class FusedChainTest {
  private static final int ROWS = 9000;
  private static final int COLS = 96; // one 64-channel block of the whitening kernel and 32 more

  @Test
  void bandpassMedianWhitenFusedIsBitIdenticalToOpsInTurn() {
    Random rng = new Random(3);
    float[] x = new float[ROWS * COLS];
    for (int t = 0; t < ROWS; t++) {
      double common = 40 * Math.sin(t * 0.01);
      for (int c = 0; c < COLS; c++) {
        x[t * COLS + c] = (float) (300 + c + common + 20 * rng.nextGaussian());
      }
    }
    float[] w = new float[COLS * COLS];
    for (int i = 0; i < COLS; i++) {
      for (int j = 0; j <= i; j++) {
        float v = i == j ? 1f : (float) (0.05 * rng.nextGaussian());
        w[i * COLS + j] = v;
        w[j * COLS + i] = v;
      }
    }
    double[][] xy = new double[COLS][];
    for (int c = 0; c < COLS; c++) {
      xy[c] = new double[] {16 * (c % 2), 20 * (c / 2)};
    }
    RecordingInfo info = OpHarness.info(ROWS, COLS, xy, null, null);
    List<TileOp> ops = OpHarness.ops(info,
        List.of(Bandpass.of(300, 6000), CommonReference.median(), Whiten.global()));
    TileOp whiten = ops.get(2);
    Map<PCollectionView<?>, Object> values =
        Map.of(whiten.sideInputs().get(0), new WhiteningMatrix(COLS, w, 0, ROWS, List.of()));
    var sides = OpHarness.sides(values);
    assertNull(ops.get(0).rowOp(sides, COLS), "the filter has a margin: not a row op");
    assertNotNull(ops.get(1).rowOp(sides, COLS));
    assertNotNull(ops.get(2).rowOp(sides, COLS));
    for (int tile : new int[] {3000, 2500, ROWS}) {
      float[] inTurn = OpHarness.runInTurn(ops, x, ROWS, COLS, tile, sides);
      float[] fused = OpHarness.run(ops, x, ROWS, COLS, tile, sides);
      assertArrayEquals(inTurn, fused, "tiles of " + tile);
    }
    assertEquals(1149, ops.get(0).marginSamples());
  }
}
