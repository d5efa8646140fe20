package org.specus.cli;

import java.lang.management.ManagementFactory;

/**
 * Where a command's wall time starts. Run as the process's {@code main}, at the JVM's start: the
 * summary then gives what the person waited for, the JVM's start-up, reading the recording's layout
 * and building the pipeline included, as {@code time} and the benchmark harness see it. Run
 * in-process (tests), at the call.
 */
final class CommandClock {
  private final boolean sinceJvmStart;
  private final long startMillis;
  private long excludedMillis;

  private CommandClock(boolean sinceJvmStart, long startMillis) {
    this.sinceJvmStart = sinceJvmStart;
    this.startMillis = startMillis;
  }

  static CommandClock sinceJvmStart() {
    return new CommandClock(true, 0);
  }

  static CommandClock sinceNow() {
    return new CommandClock(false, System.currentTimeMillis());
  }

  /** Leaves {@code millis} of work that is not the command's subject (the demo's synthesis) out. */
  void exclude(long millis) {
    excludedMillis += millis;
  }

  /** Seconds from the start to now, without what was excluded. */
  double seconds() {
    // Read only now: the management beans take ~20 ms to set up, which start-up need not pay.
    long start = sinceJvmStart ? ManagementFactory.getRuntimeMXBean().getStartTime() : startMillis;
    return (System.currentTimeMillis() - start - excludedMillis) / 1e3;
  }
}
