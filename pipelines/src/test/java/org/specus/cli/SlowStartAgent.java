package org.specus.cli;

/**
 * A Java agent that holds the JVM back for the milliseconds in its argument before {@code main}
 * runs: a start-up of known length, which the summary's wall time must include.
 */
public final class SlowStartAgent {
  private SlowStartAgent() {}

  public static void premain(String millis) throws InterruptedException {
    Thread.sleep(Long.parseLong(millis));
  }
}
