package org.specus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The summary's load line, from stage timers of two real 5- and 10-minute harness runs on the
 * 2-core VM (bench/README.md): one where the disk crawled, one where it did not.
 */
class WorkerLoadTest {
  private static double[] t(double wall, double cpu) {
    return new double[] {wall, cpu, 600, 0, 0};
  }

  /** 10 minutes, 219 s: 41 GB moved at ~190 MB/s. */
  private static final Map<String, double[]> STALLED = Map.of("main.bandpass", t(29.1850, 25.3764),
      "main.common_reference", t(8.8228, 8.3473), "main.read", t(264.4404, 8.4012),
      "main.resume_check", t(0.2474, 0.1107), "main.whiten", t(57.6812, 56.1742), "main.write", t(254.6500, 5.5530),
      "statistics.read", t(12.9925, 0.2432));

  /** 5 minutes, 34.6 s, 8.68x real time. */
  private static final Map<String, double[]> HEALTHY = Map.of("main.bandpass", t(23.3642, 11.4767),
      "main.common_reference", t(5.2165, 3.9181), "main.read", t(12.4432, 3.1713),
      "main.resume_check", t(0.1166, 0.0469), "main.whiten", t(29.6011, 27.1110), "main.write", t(11.3140, 1.9714));

  @Test
  void aRunWaitingOnTheDiskSaysSo() {
    WorkerLoad load = WorkerLoad.of(Map.of(), STALLED, 125.7, 219.0, 2);
    assertEquals(0.574, load.coresBusy(), 1e-3);
    // Beyond their CPU, reads, writes and resume checks waited 505.3 s of the stages' 615.0 s; the
    // statistics pass is not the main pass.
    assertEquals(505.27 / 615.03, load.waitShare(), 1e-4);
    assertTrue(load.storageBound());
    assertEquals("0.57 of 2 cores busy; the workers waited in reads and writes 82 % of their time: the storage, "
        + "not the compute, set this run's pace", load.describe());
  }

  @Test
  void aComputeBoundRunDoesNotBlameTheStorage() {
    WorkerLoad load = WorkerLoad.of(Map.of(), HEALTHY, 62.0, 34.57, 2);
    assertEquals(18.68 / 82.05, load.waitShare(), 1e-3);
    assertFalse(load.storageBound());
    assertEquals("1.79 of 2 cores busy; the workers waited in reads and writes 23 % of their time", load.describe());
    // Idle cores alone do not blame the storage either: the workers may have been too few.
    assertFalse(new WorkerLoad(0.9, 2, 0.3).storageBound());
    assertFalse(new WorkerLoad(1.6, 2, 0.6).storageBound());
  }

  @Test
  void onlyThisJobsTilesCount() {
    // A JVM that ran the healthy job first, then the stalled one: the second's line is its own.
    Map<String, double[]> both = new java.util.HashMap<>();
    STALLED.forEach((k, v) -> both.put(k, v.clone()));
    HEALTHY.forEach((k, v) -> both.merge(k, v.clone(), (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], 0, 0, 0}));
    assertEquals(505.27 / 615.03, WorkerLoad.of(HEALTHY, both, 125.7, 219.0, 2).waitShare(), 1e-4);
    // No tile computed here: the workers ran in a cluster, or every tile was kept from an earlier run.
    assertNull(WorkerLoad.of(HEALTHY, HEALTHY, 3.0, 10.0, 2));
    assertNull(WorkerLoad.of(Map.of(), Map.of("statistics.read", t(1, 0.5)), 3.0, 10.0, 2));
  }
}
