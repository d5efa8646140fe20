package org.specus.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.specus.dsp.Butterworth;
import org.specus.dsp.CommonReference;
import org.specus.dsp.CovarianceAccumulator;
import org.specus.dsp.Simd;
import org.specus.dsp.Sos;
import org.specus.dsp.SosFilter;
import org.specus.dsp.SubsetReference;
import org.specus.dsp.Whitening;
import org.specus.io.beam.RowRuns;

/**
 * A second opinion to JMH on a shared machine: the thread CPU time of each call (time spent
 * waiting for a core is not counted), over many calls, reporting the minimum and the median.
 * Same inputs as {@link KernelBenchmarks}; the tile copy is outside the timed region.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/classes:$(cat
 * bench/target/runtime-classpath.txt) org.specus.bench.KernelTimes [calls]}; add
 * {@code -Dspecus.simd=false} for the plain-Java kernels.
 */
public final class KernelTimes {
  private KernelTimes() {}

  private static final java.lang.management.ThreadMXBean THREAD =
      ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int cols = KernelData.CHANNELS;
    Sos bandpass = Butterworth.bandpass(5, 300, 6000, 30000);
    float[] raw = KernelData.signal(KernelData.TILE_WITH_MARGINS, cols, 1);
    float[] filtered = raw.clone();
    SosFilter.filtfilt(bandpass, filtered, KernelData.TILE_WITH_MARGINS, cols);
    float[] block = new float[raw.length];
    float[] w = KernelData.matrix(cols, 2);
    float[] out = new float[KernelData.TILE * cols];
    int[] shank = new int[cols];
    for (int c = 0; c < cols; c++) {
      shank[c] = c / (cols / 4);
    }
    int[] shankOf = new int[cols];
    int[][] shanks = SubsetReference.groupSets(shank, shankOf);
    System.out.println("kernels: " + Simd.describe() + "; thread CPU ms per call over " + calls
        + " calls after " + calls / 3 + " warm-up calls");
    time("bandpassFiltfilt 32298x384", calls, () -> System.arraycopy(raw, 0, block, 0, raw.length),
        () -> SosFilter.filtfilt(bandpass, block, KernelData.TILE_WITH_MARGINS, cols));
    time("whiteningProduct 30000x384", calls, () -> { },
        () -> Whitening.apply(filtered, KernelData.TILE, cols, w, out));
    time("medianReference 30000x384", calls, () -> System.arraycopy(filtered, 0, block, 0, block.length),
        () -> CommonReference.subtractMedian(block, KernelData.TILE, cols));
    time("groupMedianReference 4x96", calls, () -> System.arraycopy(filtered, 0, block, 0, block.length),
        () -> SubsetReference.subtract(block, KernelData.TILE, cols, shanks, shankOf, true));
    int margin = (KernelData.TILE_WITH_MARGINS - KernelData.TILE) / 2;
    int runRows = Integer.getInteger("runRows", 192);
    time("chainInTurn 32298x384", calls, () -> System.arraycopy(raw, 0, block, 0, raw.length), () -> {
      SosFilter.filtfilt(bandpass, block, KernelData.TILE_WITH_MARGINS, cols);
      System.arraycopy(block, margin * cols, block, 0, KernelData.TILE * cols);
      CommonReference.subtractMedian(block, KernelData.TILE, cols);
      Whitening.apply(block, KernelData.TILE, cols, w, out);
    });
    time("chainFused 32298x384", calls, () -> System.arraycopy(raw, 0, block, 0, raw.length), () -> {
      CommonReference.Medians medians = new CommonReference.Medians(cols);
      RowRuns runs = new RowRuns(margin, margin + KernelData.TILE, runRows, (a, b) -> {
        medians.subtract(block, a, b);
        Whitening.apply(block, a, b - a, cols, w, out, a - margin);
      });
      SosFilter.filtfilt(bandpass, block, KernelData.TILE_WITH_MARGINS, cols, block, runs::rows);
      runs.finish();
    });
    time("covariance 15000x384", calls, () -> { },
        () -> new CovarianceAccumulator(cols).add(filtered, KernelData.TILE / 2, cols));
    time("covariance 30000x384", calls, () -> { },
        () -> new CovarianceAccumulator(cols).add(filtered, KernelData.TILE, cols));
  }

  private static void time(String name, int calls, Runnable prepare, Runnable kernel) {
    String only = System.getProperty("kernels");
    if (only != null && java.util.Arrays.stream(only.split(",")).noneMatch(name::startsWith)) {
      return;
    }
    for (int i = 0; i < calls / 3; i++) {
      prepare.run();
      kernel.run();
    }
    double[] ms = new double[calls];
    for (int i = 0; i < calls; i++) {
      prepare.run();
      long t0 = THREAD.getCurrentThreadCpuTime();
      kernel.run();
      ms[i] = (THREAD.getCurrentThreadCpuTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf("%-28s min %7.1f  median %7.1f  ms%n", name, ms[0], ms[calls / 2]);
  }
}
