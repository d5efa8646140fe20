package org.specus.dsp;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the default chain's kernels on a small made-up block in a background thread, so that the
 * JIT has compiled them by the time the first real tiles arrive.
 *
 * <p>Why: until C2 compiles a {@code jdk.incubator.vector} kernel, every vector operation is a
 * boxed object and the kernel runs tens of times slower; a local run used to spend its first
 * ~5 s (the whitening statistics) mostly in such code while the JIT caught up. Meanwhile the
 * pipeline is being built on one thread and the second core is idle: this puts it to work. The
 * results are thrown away; the kernels are pure functions of their inputs, so warming them up
 * changes no output.
 */
public final class KernelWarmUp {
  private KernelWarmUp() {}

  private static final int ROWS = 2048;
  private static final int ROUNDS = 8;
  /** Channels of the made-up covariance whose eigendecomposition warms up EJML. */
  private static final int EIGEN_CHANNELS = 128;

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /**
   * Starts the warm-up (a daemon thread, ~1 s of CPU) for blocks of {@code channels} channels, once
   * per JVM: a JVM that runs several jobs (a batch, the tests) compiles the kernels once. Returns
   * whether this call started it.
   */
  public static boolean startInBackground(int channels) {
    if (!STARTED.compareAndSet(false, true)) {
      return false;
    }
    Thread t = new Thread(() -> run(channels), "specus-kernel-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return true;
  }

  static void run(int channels) {
    SplittableRandom random = new SplittableRandom(1);
    float[] signal = new float[ROWS * channels];
    for (int i = 0; i < signal.length; i++) {
      signal[i] = (float) (random.nextDouble(-1, 1) * 100);
    }
    float[] w = new float[channels * channels];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextDouble(-0.1, 0.1);
    }
    Sos bandpass = Butterworth.bandpass(5, 300, 6000, 30000);
    float[] block = new float[signal.length];
    float[] out = new float[signal.length];
    for (int round = 0; round < ROUNDS; round++) {
      System.arraycopy(signal, 0, block, 0, block.length);
      SosFilter.filtfilt(bandpass, block, ROWS, channels);
      CommonReference.subtractMedian(block, ROWS, channels);
      new CovarianceAccumulator(channels).add(block, ROWS, channels);
      Whitening.apply(block, ROWS, channels, w, out);
    }
    // The whitening matrix's eigendecomposition runs once, between the statistics pass and the
    // first tile, when nothing else can: in cold EJML code it took 0.4-0.5 s of CPU there.
    int n = Math.min(channels, EIGEN_CHANNELS);
    CovarianceAccumulator small = new CovarianceAccumulator(n);
    small.add(signal, ROWS, n); // the signal's first ROWS × n values, read as n channels
    Zca.whiteningMatrix(small.covariance(), n, 1e-6);
  }
}
