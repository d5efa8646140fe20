package org.specus.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
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
  /** Per stage: the earliest start and the latest end, in nanoTime, to place stages on a timeline. */
  private static final Map<String, LongAccumulator[]> SPANS = new ConcurrentHashMap<>();
  /** nanoTime at JVM start, so that spans read as seconds since the process began. */
  private static final long ORIGIN = System.nanoTime()
      - java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;

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
    long end = System.nanoTime();
    LongAccumulator[] span = SPANS.computeIfAbsent(stage, k -> new LongAccumulator[] {
        new LongAccumulator(Math::min, Long.MAX_VALUE), new LongAccumulator(Math::max, Long.MIN_VALUE)});
    span[0].accumulate(end - wallNanos);
    span[1].accumulate(end);
  }

  /**
   * Per stage, by name: wall seconds, CPU seconds, calls, and when the stage first started and last
   * ended (seconds since the JVM started).
   */
  public static Map<String, double[]> snapshot() {
    Map<String, double[]> m = new TreeMap<>();
    TOTALS.forEach((k, v) -> {
      LongAccumulator[] span = SPANS.get(k);
      m.put(k, new double[] {v[0].sum() / 1e9, v[1].sum() / 1e9, v[2].sum(),
          span == null ? 0 : (span[0].get() - ORIGIN) / 1e9, span == null ? 0 : (span[1].get() - ORIGIN) / 1e9});
    });
    return m;
  }

  public static void reset() {
    TOTALS.clear();
    SPANS.clear();
  }

  static void write(Path file) {
    StringBuilder sb = new StringBuilder("stage,wall_s,cpu_s,calls,first_s,last_s\n");
    snapshot().forEach((k, v) -> sb.append(k).append(',').append(String.format("%.4f", v[0]))
        .append(',').append(String.format("%.4f", v[1])).append(',').append((long) v[2])
        .append(',').append(String.format("%.2f", v[3])).append(',').append(String.format("%.2f", v[4])).append('\n'));
    try {
      Files.writeString(file, sb, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write the stage times", e);
    }
  }
}
