package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The warm-up runs the default chain's kernels and the eigendecomposition on made-up data in a
 * background thread; a failure there would print a stack trace in the middle of a user's run. It
 * must work at any channel count, including counts below its eigendecomposition's size.
 */
class KernelWarmUpTest {

  @Test
  void runsForFewAndManyChannels() {
    assertDoesNotThrow(() -> KernelWarmUp.run(7));
    assertDoesNotThrow(() -> KernelWarmUp.run(200));
  }

  /** Nothing else in this module's tests starts it, so the first call here is the JVM's first. */
  @Test
  void startsOncePerJvm() {
    assertTrue(KernelWarmUp.startInBackground(16));
    assertFalse(KernelWarmUp.startInBackground(16));
    assertFalse(KernelWarmUp.startInBackground(384));
  }
}
