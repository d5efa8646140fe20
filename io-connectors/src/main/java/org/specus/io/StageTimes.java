package org.specus.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a worker JVM's time goes, stage by stage (read, each op of the chain, encode, write): the
 * per-stage breakdown of {@code bench/}. Stages add their elapsed wall time and the CPU time of
 * the calling thread (robust to other load on the machine) from any thread; the cost is a few
 * clock reads per stage and tile.
 *
 * <p>With the system property {@code specus.stageTimes=FILE}, the totals are written to FILE as
 * CSV ({@code stage,wall_s,cpu_s,calls}) when the JVM exits.
 */
public final class StageTimes {
  private static final Map<String, LongAdder[]> TOTALS = new ConcurrentHashMap<>();

  static {
    String file = System.getProperty("specus.stageTimes");
    if (file != null && !file.isBlank()) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> write(Path.of(file)), "specus-stage-times"));
    }
  }

  private StageTimes() {}

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /** A stage's start: wall and thread CPU clocks. */
  public record Mark(long wall, long cpu) {}

  public static Mark mark() {
    return new Mark(System.nanoTime(), THREADS.getCurrentThreadCpuTime());
  }

  /** Adds the time since {@code since} to {@code stage} and returns a new mark (the next stage's start). */
  public static Mark lap(String stage, Mark since) {
    Mark now = mark();
    add(stage, now.wall() - since.wall(), now.cpu() - since.cpu());
    return now;
  }

  /** Adds {@code wallNanos} and {@code cpuNanos} spent in {@code stage} (one call). */
  public static void add(String stage, long wallNanos, long cpuNanos) {
    LongAdder[] t = TOTALS.computeIfAbsent(stage,
        s -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
    t[0].add(wallNanos);
    t[1].add(cpuNanos);
    t[2].increment();
  }

  /** Wall seconds, CPU seconds and calls per stage, by stage name. */
  public static Map<String, double[]> snapshot() {
    Map<String, double[]> m = new TreeMap<>();
    TOTALS.forEach((k, v) -> m.put(k, new double[] {v[0].sum() / 1e9, v[1].sum() / 1e9, v[2].sum()}));
    return m;
  }

  public static void reset() {
    TOTALS.clear();
  }

  static void write(Path file) {
    StringBuilder sb = new StringBuilder("stage,wall_s,cpu_s,calls\n");
    snapshot().forEach((k, v) -> sb.append(k).append(',').append(String.format("%.4f", v[0]))
        .append(',').append(String.format("%.4f", v[1])).append(',').append((long) v[2]).append('\n'));
    try {
      Files.writeString(file, sb, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write the stage times", e);
    }
  }
}
