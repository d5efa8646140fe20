package org.specus.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How busy a local run kept the cores, and how much of its workers' time went on waiting in reads
 * and writes: the summary line that tells a person whether the storage (a slow disk, a network file
 * system) rather than the compute set the run's pace. On a shared VM one 10-minute run kept two
 * cores 0.57 busy, its workers waiting in reads and writes 82 % of their time, where the next run
 * of the same recording took a third of the time.
 *
 * <p>From this JVM's stage timers ({@link org.specus.io.StageTimes}), so only where the workers run
 * in this JVM (the DirectRunner); a Flink job's workers run in the cluster's TaskManagers.
 */
record WorkerLoad(double coresBusy, int cores, double waitShare) {
  /** The main pass's stages that read input or write output; their wall time beyond CPU is waiting. */
  private static final Set<String> STORAGE = Set.of("main.resume_check", "main.read", "main.write");
  private static final double[] NONE = {0, 0};

  /**
   * From the stage timers before and after the job (wall and CPU seconds first in each entry, as
   * {@link org.specus.io.StageTimes#snapshot} gives them), and the process's CPU over the job's
   * wall time. {@code null} when this JVM computed no tile (another runner's workers, or every
   * tile kept from an earlier run).
   */
  static WorkerLoad of(Map<String, double[]> before, Map<String, double[]> after, double cpuSeconds,
      double wallSeconds, int cores) {
    double stages = 0;
    double waiting = 0;
    for (Map.Entry<String, double[]> e : after.entrySet()) {
      if (!e.getKey().startsWith("main.")) {
        continue;
      }
      double[] b = before.getOrDefault(e.getKey(), NONE);
      double wall = e.getValue()[0] - b[0];
      stages += wall;
      if (STORAGE.contains(e.getKey())) {
        waiting += Math.max(0, wall - (e.getValue()[1] - b[1]));
      }
    }
    if (stages <= 0 || wallSeconds <= 0 || cpuSeconds < 0) {
      return null;
    }
    return new WorkerLoad(cpuSeconds / wallSeconds, cores, waiting / stages);
  }

  /**
   * The cores were mostly idle while the workers mostly waited in reads and writes. (Waiting for a
   * core also counts as waiting, which is why idle cores are part of the test: with three workers
   * on two busy cores, a third of every stage's time is spent waiting for one.)
   */
  boolean storageBound() {
    return coresBusy < 0.75 * cores && waitShare >= 0.5;
  }

  /** E.g. {@code "0.57 of 2 cores busy; the workers waited in reads and writes 82 % of their time: ..."}. */
  String describe() {
    return String.format(Locale.ROOT, "%.2f of %d cores busy; the workers waited in reads and writes %.0f %% of "
        + "their time", coresBusy, cores, 100 * waitShare)
        + (storageBound() ? ": the storage, not the compute, set this run's pace" : "");
  }
}
