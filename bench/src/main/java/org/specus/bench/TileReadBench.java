package org.specus.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.specus.io.Recording;
import org.specus.io.Recordings;

/**
 * The pipeline's read of any input (NWB, Zarr, SpikeGLX, ...): consecutive 1 s tiles with margins,
 * as a worker reads them ({@code [k s - margin, (k + 1) s + margin)}), through {@code readFloat} and,
 * for int16 inputs that allow it, {@code readInt16}. Single thread: per-tile best and median of
 * wall and thread-CPU ms over the inner tiles (not each pass's first, which has no neighbour read
 * yet, nor the last, which has no next chunk). With {@code THREADS} &gt; 1, one more pass in which
 * that many threads each read a contiguous share of the tiles at once: their summed thread-CPU time
 * against wall time × threads shows whether they wait on each other (on a machine with at least
 * that many free cores), with the time they spent blocked on or waiting for Java monitors (JMX
 * contention monitoring), the process's CPU time (collector threads included) and the collections
 * over the same span.
 *
 * <p>Usage: {@code java -cp ... org.specus.bench.TileReadBench INPUT [PASSES] [MARGIN_SAMPLES]
 * [THREADS]} (defaults 5 passes, margin 1149 samples, the default chain's, and 1 thread).
 */
public final class TileReadBench {
  private TileReadBench() {}

  public static void main(String[] args) throws Exception {
    Path input = Path.of(args[0]);
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int margin = args.length > 2 ? Integer.parseInt(args[2]) : 1149;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    try (Recording r = Recordings.open(input)) {
      int tile = (int) Math.round(r.samplingRate());
      int ch = r.numChannels();
      int tiles = (int) (r.numSamples() / tile);
      System.out.printf(Locale.ROOT, "%s: %s %s, %d channels, %d tiles of %d samples, margin %d%n", input,
          r.format(), r.storedType(), ch, tiles, tile, margin);
      List<String> ways = new ArrayList<>(List.of("readFloat"));
      if (r.storedType().equals("int16")) {
        try {
          r.readInt16(0, 1, new short[ch]);
          ways.add("readInt16");
        } catch (UnsupportedOperationException e) {
          System.out.println("readInt16 refused: " + e.getMessage());
        }
      }
      float[] f = new float[(tile + 2 * margin) * ch];
      short[] s = new short[(tile + 2 * margin) * ch];
      for (String how : ways) {
        int n = passes * (tiles - 2);
        double[] wall = new double[n];
        double[] cpuMs = new double[n];
        int m = 0;
        for (int p = 0; p < passes; p++) {
          for (int k = 0; k < tiles; k++) {
            long from = Math.max(0, (long) k * tile - margin);
            long to = Math.min(r.numSamples(), (long) (k + 1) * tile + margin);
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            if (how.equals("readFloat")) {
              r.readFloat(from, to, f);
            } else {
              r.readInt16(from, to, s);
            }
            if (k > 0 && k < tiles - 1) {
              wall[m] = (System.nanoTime() - t0) / 1e6;
              cpuMs[m++] = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
            }
          }
        }
        Arrays.sort(wall);
        Arrays.sort(cpuMs);
        System.out.printf(Locale.ROOT, "%s per tile: cpu best %.1f median %.1f ms; wall best %.1f median %.1f ms%n",
            how, cpuMs[0], cpuMs[n / 2], wall[0], wall[n / 2]);
      }
      if (threads > 1) {
        concurrent(r, tiles, tile, margin, threads, cpu);
      }
    }
  }

  /** Collections and their milliseconds so far, over all collectors. */
  private static long[] gc() {
    long[] out = new long[2];
    for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
      out[0] += Math.max(0, b.getCollectionCount());
      out[1] += Math.max(0, b.getCollectionTime());
    }
    return out;
  }

  private static void concurrent(Recording r, int tiles, int tile, int margin, int threads, ThreadMXBean cpu)
      throws Exception {
    if (cpu.isThreadContentionMonitoringSupported()) {
      cpu.setThreadContentionMonitoringEnabled(true);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<long[]>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = tiles * t / threads;
        int last = tiles * (t + 1) / threads;
        work.add(() -> {
          float[] f = new float[(tile + 2 * margin) * r.numChannels()];
          long id = Thread.currentThread().getId();
          ThreadInfo i0 = cpu.getThreadInfo(id);
          long c0 = cpu.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          for (int k = first; k < last; k++) {
            r.readFloat(Math.max(0, (long) k * tile - margin), Math.min(r.numSamples(), (long) (k + 1) * tile + margin),
                f);
          }
          long c1 = cpu.getCurrentThreadCpuTime();
          long t1 = System.nanoTime();
          ThreadInfo i1 = cpu.getThreadInfo(id);
          long blocked = i1.getBlockedTime() - i0.getBlockedTime() + i1.getWaitedTime() - i0.getWaitedTime();
          return new long[] {c1 - c0, t1 - t0, blocked};
        });
      }
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long p0 = os.getProcessCpuTime();
      long[] gc0 = gc();
      long t0 = System.nanoTime();
      long cpuSum = 0;
      long wallSum = 0;
      long blockedMs = 0;
      for (Future<long[]> done : pool.invokeAll(work)) {
        cpuSum += done.get()[0];
        wallSum += done.get()[1];
        blockedMs += done.get()[2];
      }
      double wall = (System.nanoTime() - t0) / 1e6;
      long process = os.getProcessCpuTime() - p0;
      long[] gc1 = gc();
      System.out.printf(Locale.ROOT, "%d threads, readFloat of all %d tiles: wall %.0f ms, thread wall summed %.0f ms,"
          + " thread cpu summed %.0f ms (%.1f ms per tile), cpu / thread wall %.2f; blocked or waiting on Java"
          + " locks %d ms; process cpu %.0f ms; %d collections, %d ms; load %.2f%n", threads, tiles, wall,
          wallSum / 1e6, cpuSum / 1e6, cpuSum / 1e6 / tiles, (double) cpuSum / wallSum, blockedMs, process / 1e6,
          gc1[0] - gc0[0], gc1[1] - gc0[1], os.getSystemLoadAverage());
    } finally {
      pool.shutdown();
    }
  }
}
