package org.specus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class FmaProbeTest {
  /** The probe does the fused multiply-adds it counts: 12 chains c = fma(c, m, x) per lane. */
  @Test
  void burstComputesTwelveFmaChainsPerLane() {
    int lanes = FloatVector.SPECIES_PREFERRED.length();
    float[] seed = new float[lanes];
    for (int i = 0; i < lanes; i++) {
      seed[i] = 0.25f * i - 1;
    }
    int steps = 1000;
    double expected = 0;
    for (int chain = 0; chain < 12; chain++) {
      for (int lane = 0; lane < lanes; lane++) {
        float c = seed[lane] + chain;
        for (int i = 0; i < steps; i++) {
          c = Math.fma(c, 0.999999f, seed[lane]);
        }
        expected += c;
      }
    }
    // the lanes' and chains' sum is taken in another order than here: float rounding of the sum only
    assertEquals(expected, FmaProbe.burst(seed, steps), 1e-5 * Math.abs(expected));
  }

  @Test
  void measuresWindowsOfPositiveRates() {
    List<Double> rates = FmaProbe.measure(0.6);
    assertFalse(rates.isEmpty());
    assertTrue(rates.stream().allMatch(r -> r > 0), rates.toString());
  }
}
