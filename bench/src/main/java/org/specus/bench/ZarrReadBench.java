package org.specus.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.specus.io.Recording;
import org.specus.io.Recordings;

/**
 * The pipeline's read of a recording stored as Zarr: consecutive 1 s tiles with margins on one
 * thread, as a worker reads them ({@code readFloat} of {@code [k s - margin, (k + 1) s + margin)}),
 * and the same windows through {@code readInt16}. Prints per-tile best and median wall and CPU ms
 * over the inner tiles (those that touch three chunks: not each pass's first, which has no
 * neighbour decoded yet, nor the last, which has no next chunk).
 *
 * <p>Usage: {@code java -cp ... org.specus.bench.ZarrReadBench STORE [PASSES] [MARGIN_SAMPLES]}
 * (default 5 passes, margin 1149 samples, the default chain's).
 */
public final class ZarrReadBench {
  private ZarrReadBench() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int margin = args.length > 2 ? Integer.parseInt(args[2]) : 1149;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    try (Recording r = Recordings.open(store)) {
      int tile = (int) Math.round(r.samplingRate());
      int ch = r.numChannels();
      int tiles = (int) (r.numSamples() / tile);
      float[] f = new float[(tile + 2 * margin) * ch];
      short[] s = new short[(tile + 2 * margin) * ch];
      System.out.printf(Locale.ROOT, "%s: %s, %d channels, %d tiles of %d samples, margin %d%n", store,
          r.storedType(), ch, tiles, tile, margin);
      for (String how : r.storedType().contains("int16") || r.storedType().equals("i2")
          ? new String[] {"readFloat", "readInt16"} : new String[] {"readFloat"}) {
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
        System.out.printf(Locale.ROOT, "%s per tile: wall best %.1f median %.1f ms; cpu best %.1f median %.1f ms%n",
            how, wall[0], wall[n / 2], cpuMs[0], cpuMs[n / 2]);
      }
    }
  }
}
