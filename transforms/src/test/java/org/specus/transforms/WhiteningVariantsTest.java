package org.specus.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.jupiter.api.Test;
import org.specus.dsp.CovarianceAccumulator;
import org.specus.dsp.Golden;
import org.specus.dsp.LocalWhitening;
import org.specus.dsp.Whitening;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.TileOp;

/**
 * Local whitening (radius, k nearest) and mean removal against numpy (make_golden_ops.py), through
 * the same combine functions the pipeline uses, with the statistics cut into chunks.
 */
class WhiteningVariantsTest {
  static final int COLS = 12;
  static final double[][] XY = Golden.rows2d("ops/xy");

  static double relError(double[] a, double[] ref) {
    double e = 0;
    double s = 0;
    for (int i = 0; i < ref.length; i++) {
      e += (a[i] - ref[i]) * (a[i] - ref[i]);
      s += ref[i] * ref[i];
    }
    return Math.sqrt(e / s);
  }

  /** Runs the whitening statistics as the pipeline does: chunks of 700 samples, combined in order. */
  static WhiteningMatrix combine(float[] z, int rows, Double eps, int[][] hoods, float[] mean) {
    CovarianceCombineFn fn = new CovarianceCombineFn(COLS, eps, List.of(), hoods);
    CovarianceCombineFn.Partials acc = fn.createAccumulator();
    long k = 0;
    for (int start = 0; start < rows; start += 700, k++) {
      int end = Math.min(rows, start + 700);
      float[] chunk = Arrays.copyOfRange(z, start * COLS, end * COLS);
      if (mean != null) {
        PartialCovarianceFn.subtract(chunk, end - start, COLS, mean);
      }
      CovarianceAccumulator a = new CovarianceAccumulator(COLS);
      a.add(chunk, end - start, COLS);
      fn.addInput(acc, KV.of(k, a));
    }
    return fn.extractOutput(acc);
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /*
   * W is computed in double from the same covariance (up to summation order) and stored as
   * float32, so it agrees to ~1e-7; 1e-5 allows for the conditioning of the small-eps inverse.
   */
  @Test
  void localWhiteningByRadiusAndByNearestMatchNumpy() {
    float[] z = Golden.floats("ops/wz");
    int rows = Golden.shape("ops/wz")[0];
    double eps = Golden.doubles("ops/w_eps")[0];
    double eR = relError(toDouble(combine(z, rows, eps, LocalWhitening.withinRadius(XY, 50), null).w()),
        Golden.doubles("ops/w_local_r50"));
    double eK = relError(toDouble(combine(z, rows, eps, LocalWhitening.nearest(XY, 4), null).w()),
        Golden.doubles("ops/w_local_k4"));
    assertTrue(eR < 1e-5, "radius 50 µm W differs from numpy by " + eR);
    assertTrue(eK < 1e-5, "4 nearest W differs from numpy by " + eK);
    // SpikeInterface's eps rule from the histogram: within its ±0.8 % resolution
    double ruleEps = combine(z, rows, null, null, null).eps();
    assertEquals(eps, ruleEps, 0.01 * eps);
  }

  @Test
  void meanRemovalMatchesNumpy() {
    float[] z = Golden.floats("ops/wz_offset");
    int rows = Golden.shape("ops/wz_offset")[0];
    MeanCombineFn means = new MeanCombineFn();
    MeanCombineFn.Partials acc = means.createAccumulator();
    long k = 0;
    for (int start = 0; start < rows; start += 700, k++) {
      int end = Math.min(rows, start + 700);
      means.addInput(acc, KV.of(k, ChannelSum.of(Arrays.copyOfRange(z, start * COLS, end * COLS), end - start, COLS)));
    }
    float[] mu = means.extractOutput(acc);
    float[] refMu = Golden.floats("ops/w_mean_mu");
    for (int c = 0; c < COLS; c++) {
      assertEquals(refMu[c], mu[c], 1e-6 * Math.abs(refMu[c]) + 1e-9, "mean of channel " + c);
    }
    WhiteningMatrix w = combine(z, rows, Golden.doubles("ops/w_mean_eps")[0], null, mu);
    double e = relError(toDouble(w.w()), Golden.doubles("ops/w_mean_w"));
    assertTrue(e < 1e-5, "mean-removed W differs from numpy by " + e);
    double ruleEps = combine(z, rows, null, null, mu).eps();
    assertEquals(Golden.doubles("ops/w_mean_eps")[0], ruleEps, 0.01 * ruleEps, "eps from the mean-removed data");
  }

  /** The op applies y = scale · W (x − μ), the same in any tiling. */
  @Test
  void theOpAppliesMeanWAndScale() {
    float[] z = Golden.floats("ops/wz_offset");
    int rows = Golden.shape("ops/wz_offset")[0];
    RecordingInfo info = OpHarness.info(rows, COLS, XY, null, null);
    TileOp op = OpHarness.ops(info, List.of(Whiten.global().withMeanRemoval(true).withIntScale(200))).get(0);
    assertEquals(2, op.sideInputs().size());
    float[] mu = Golden.floats("ops/w_mean_mu");
    float[] wm = new float[COLS * COLS];
    double[] wd = Golden.doubles("ops/w_mean_w");
    for (int i = 0; i < wm.length; i++) {
      wm[i] = (float) wd[i];
    }
    Map<PCollectionView<?>, Object> values = Map.of(
        op.sideInputs().get(0), new WhiteningMatrix(COLS, wm, 0, rows, List.of()),
        op.sideInputs().get(1), mu);
    float[] y = OpHarness.run(List.of(op), z, rows, COLS, 500, OpHarness.sides(values));
    float[] centred = z.clone();
    PartialCovarianceFn.subtract(centred, rows, COLS, mu);
    float[] ref = new float[z.length];
    Whitening.apply(centred, rows, COLS, wm, ref);
    for (int i = 0; i < ref.length; i++) {
      ref[i] *= 200f;
    }
    assertTrue(OpHarness.maxRel(y, ref) == 0, "tiled whitening differs from whole-array whitening");
    assertEquals(200.0, op.describe().get("int_scale"));
    assertEquals(true, op.describe().get("apply_mean"));
    // whitened, scaled output has unit-ish variance times the scale
    double ss = 0;
    for (float v : y) {
      ss += v * v;
    }
    assertEquals(200, Math.sqrt(ss / y.length), 20);
  }

  @Test
  void badSettingsAreClearErrors() {
    assertEquals("whitening withRadius applies to local whitening; use Whiten.local()",
        assertThrows(IllegalArgumentException.class, () -> Whiten.global().withRadius(50)).getMessage());
    assertEquals("whitening nearest channel count must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> Whiten.local().withNearest(0)).getMessage());
    RecordingInfo noPositions = OpHarness.info(1000, COLS, null, null, null);
    assertEquals("test.ap.bin: local whitening needs contact positions, and the recording has none; use global whitening",
        assertThrows(IllegalArgumentException.class,
            () -> OpHarness.ops(noPositions, List.of(Whiten.local()))).getMessage());
  }
}
