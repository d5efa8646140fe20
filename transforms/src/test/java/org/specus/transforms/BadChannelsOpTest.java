package org.specus.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.jupiter.api.Test;
import org.specus.dsp.Golden;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.TileOp;

/** Interpolating and excluding bad channels against numpy (make_golden_ops.py). */
class BadChannelsOpTest {
  static final int ROWS = 1000;
  static final int COLS = 12;
  static final float[] X = Arrays.copyOf(Golden.floats("ops/x"), ROWS * COLS);
  static final double[][] XY = Golden.rows2d("ops/xy");
  static final RecordingInfo INFO = OpHarness.info(ROWS, COLS, XY, null, null);
  static final ChannelLabels LABELS =
      new ChannelLabels(new int[] {0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0}, List.of(new long[] {0, 100}));

  static SideInputs labelsFor(List<TileOp> ops) {
    return OpHarness.sides(Map.of((PCollectionView<?>) ops.get(0).sideInputs().get(0), LABELS));
  }

  @Test
  void interpolationUsesIblKrigingFromTheGoodChannels() {
    List<TileOp> ops = OpHarness.ops(INFO, List.of(DetectBadChannels.ibl()));
    float[] y = OpHarness.run(ops, X, ROWS, COLS, 300, labelsFor(ops));
    float[] ref = Golden.floats("ops/bc_interpolated");
    assertTrue(OpHarness.maxRel(y, ref) < 1e-6, "interpolation differs from numpy by " + OpHarness.maxRel(y, ref));
    List<Artifact> artifacts = ops.get(0).artifacts(labelsFor(ops));
    assertEquals("properties/channel_labels", artifacts.get(0).name());
    assertEquals(List.of("good", "good", "good", "dead", "good", "good", "good", "noise", "good", "good", "good", "good"),
        artifacts.get(0).attributes().get("labels"));
  }

  /** Excluded channels are zeroed and left out of the following median reference. */
  @Test
  void excludedChannelsAreZeroAndOutOfTheReference() {
    List<TileOp> ops = OpHarness.ops(INFO, List.of(
        DetectBadChannels.ibl().withAction(DetectBadChannels.Action.EXCLUDE), CommonReference.median()));
    assertEquals(ops.get(0).sideInputs(), ops.get(1).sideInputs(), "the reference reads the same labels");
    float[] y = OpHarness.run(ops, X, ROWS, COLS, 300, labelsFor(ops));
    assertArrayEquals(Golden.floats("ops/bc_excluded_cmr"), y);
  }

  @Test
  void detectionMustComeBeforeReferencingAndNeedsPositionsToInterpolate() {
    assertEquals("test.ap.bin: bad-channel detection must come before common_reference: it measures each channel's"
            + " coherence with the signal all channels share, which referencing removes, and its power thresholds are"
            + " in µV, which whitening changes",
        assertThrows(IllegalArgumentException.class,
            () -> OpHarness.ops(INFO, List.of(CommonReference.median(), DetectBadChannels.ibl()))).getMessage());
    RecordingInfo noPositions = OpHarness.info(ROWS, COLS, null, null, null);
    assertEquals("test.ap.bin: interpolating bad channels needs contact positions, and the recording has none;"
            + " use action exclude or detect",
        assertThrows(IllegalArgumentException.class,
            () -> OpHarness.ops(noPositions, List.of(DetectBadChannels.ibl()))).getMessage());
  }
}
