package org.specus.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.junit.jupiter.api.Test;
import org.specus.dsp.Golden;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.TileOp;
import org.specus.io.beam.Tiles;

/**
 * Common reference variants (per group, local annulus, explicit channels; median and average)
 * against numpy on the whole block (make_golden_ops.py), in tiles of several lengths.
 */
class CommonReferenceOpsTest {
  static final int ROWS = 1000;
  static final int COLS = 12;
  static final float[] X = Arrays.copyOf(Golden.floats("ops/x"), ROWS * COLS);
  static final double[][] XY = Golden.rows2d("ops/xy");
  static final int[] GROUPS = Arrays.stream(Golden.doubles("ops/groups")).mapToInt(d -> (int) d).toArray();
  static final RecordingInfo INFO = OpHarness.info(ROWS, COLS, XY, GROUPS, null);

  static List<TileOp> ops(PTransform<Tiles, Tiles> t) {
    return OpHarness.ops(INFO, List.of(t));
  }

  static float[] run(PTransform<Tiles, Tiles> t, int tile) {
    return OpHarness.run(ops(t), X, ROWS, COLS, tile, SideInputs.NONE);
  }

  /** The median is numpy's to the bit (same float32 operations); tiling cannot matter (no margin). */
  @Test
  void mediansMatchNumpyExactly() {
    for (int tile : new int[] {ROWS, 333}) {
      assertArrayEquals(Golden.floats("ops/cmr_group_median"), run(CommonReference.median().perGroup(), tile));
      assertArrayEquals(Golden.floats("ops/cmr_local_median"), run(CommonReference.median().local(30, 55), tile));
      assertArrayEquals(Golden.floats("ops/cmr_channels_median"),
          run(CommonReference.median().withReferenceChannels(List.of("AP0", "AP3", "AP5")), tile));
    }
  }

  /** Means: double accumulation rounded once vs numpy's float64 mean, so within one float32 ulp. */
  @Test
  void averagesMatchNumpy() {
    float[] g = run(CommonReference.average().perGroup(), 400);
    float[] l = run(CommonReference.average().local(30, 55), 400);
    float[] rg = Golden.floats("ops/cmr_group_average");
    float[] rl = Golden.floats("ops/cmr_local_average");
    for (int i = 0; i < g.length; i++) {
      assertEquals(rg[i], g[i], 2 * Math.ulp(Math.abs(X[i]) + 1f), "group average at " + i);
      assertEquals(rl[i], l[i], 2 * Math.ulp(Math.abs(X[i]) + 1f), "local average at " + i);
    }
  }

  @Test
  void provenanceListsTheChannelsWithFewNeighbours() {
    // NP1.0 geometry, annulus (30, 55]: the tip and top rows have only 3 or 4 neighbours
    TileOp op = ops(CommonReference.median().local(30, 55).withMinNeighbours(5)).get(0);
    assertEquals("local", op.describe().get("reference"));
    List<?> few = (List<?>) op.describe().get("channels_below_min_neighbours");
    assertTrue(few.contains("AP0") && !few.contains("AP5"), "channels below the minimum: " + few);
  }

  @Test
  void badSettingsAreClearErrorsBeforeAnythingRuns() {
    assertEquals("common reference outer radius (20.0 µm) must be larger than the inner radius (30.0 µm)",
        assertThrows(IllegalArgumentException.class, () -> CommonReference.median().local(30, 20)).getMessage());
    assertEquals("test.ap.bin: channel AP0 has no neighbour between 100.0 and 101.0 µm for the local common"
            + " reference; widen the annulus",
        assertThrows(IllegalArgumentException.class, () -> ops(CommonReference.median().local(100, 101))).getMessage());
    assertEquals("test.ap.bin: common reference channel 'LF3' is not a channel of the recording (ids look like AP0)",
        assertThrows(IllegalArgumentException.class,
            () -> ops(CommonReference.median().withReferenceChannels(List.of("LF3")))).getMessage());
    RecordingInfo noPositions = OpHarness.info(ROWS, COLS, null, null, null);
    assertEquals("test.ap.bin: a local common reference needs contact positions, and the recording has none",
        assertThrows(IllegalArgumentException.class,
            () -> OpHarness.ops(noPositions, List.of(CommonReference.median().local(30, 55)))).getMessage());
  }
}
