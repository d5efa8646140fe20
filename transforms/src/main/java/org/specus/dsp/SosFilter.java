package org.specus.dsp;

/**
 * Applies an {@link Sos} cascade along time to every channel of a sample-major float32 block
 * ({@code rows} samples × {@code cols} channels, element (t, c) at {@code t*cols + c}).
 *
 * <p>The recursion is scipy's transposed direct form II ({@code sosfilt}); states and arithmetic
 * are double, input and output float32. Per section and sample, with the section's state (z0, z1):
 * {@code y = fma(b0, x, z0); z0 = fma(-a1, y, fma(b1, x, z1)); z1 = fma(-a2, y, b2·x)}. Both
 * implementations perform exactly these operations per channel, so they give the same bits: the
 * plain-Java loops (one section at a time over all channels, which are contiguous, so C2
 * vectorises them) and, with the vector module ({@link Simd}), {@link SosFilterVector}, which
 * runs all sections on a vector of channels before moving on (about 3× fewer memory operations).
 *
 * <p>{@link #filtfilt} reproduces {@code scipy.signal.sosfiltfilt(sos, x, axis=0)} with its
 * defaults: odd extension of {@code padlen} samples at both ends (computed in float32, as numpy
 * does for a float32 input), initial conditions {@code sosfilt_zi × edge value} for both passes,
 * and the padding cropped. One deliberate difference: the forward pass result over the block is
 * kept in the float32 output array (so no block-sized double scratch is needed), which adds one
 * float rounding (~6e-8 relative) compared with scipy's float64 intermediate; measured rms
 * relative error against scipy is 3e-8. A 30000 × 384 block with the order-5 bandpass takes about
 * 40 ms of CPU on one core (with the vector module).
 */
public final class SosFilter {
  private SosFilter() {}

  /**
   * Told which rows of the output are final as the last pass over a block produces them, in
   * chunks of consecutive rows, each row once; a forward-backward or backward pass goes from the
   * block's end to its start. What comes next in a chain can then work on those rows while they
   * are still in cache.
   */
  @FunctionalInterface
  public interface FinishedRows {
    void rows(int from, int to);
  }

  private static final FinishedRows NOBODY = (from, to) -> { };

  /** scipy's default padlen for sosfiltfilt: 3·(2·sections + 1 − first-order sections). */
  public static int padlen(Sos sos) {
    int ns = sos.numSections();
    int zb = 0;
    int za = 0;
    for (int s = 0; s < ns; s++) {
      if (sos.get(s, 2) == 0) {
        zb++;
      }
      if (sos.get(s, 5) == 0) {
        za++;
      }
    }
    return 3 * (2 * ns + 1 - Math.min(zb, za));
  }

  /**
   * Zero-phase forward-backward filtering, {@code sosfiltfilt(sos, x, axis=0)}. {@code out} may be
   * {@code in}. Throws if the block is not longer than {@link #padlen}.
   */
  public static void filtfilt(Sos sos, float[] in, int rows, int cols, float[] out) {
    filtfilt(sos, in, rows, cols, out, NOBODY, Simd.ENABLED);
  }

  /** {@link #filtfilt(Sos, float[], int, int, float[])}, telling {@code done} as the backward pass finishes rows. */
  public static void filtfilt(Sos sos, float[] in, int rows, int cols, float[] out, FinishedRows done) {
    filtfilt(sos, in, rows, cols, out, done, Simd.ENABLED);
  }

  /** {@link #filtfilt(Sos, float[], int, int, float[])} with the implementation chosen by the caller (tests, benchmarks). */
  static void filtfilt(Sos sos, float[] in, int rows, int cols, float[] out, boolean vector) {
    filtfilt(sos, in, rows, cols, out, NOBODY, vector);
  }

  static void filtfilt(Sos sos, float[] in, int rows, int cols, float[] out, FinishedRows done,
      boolean vector) {
    checkBlock(in, rows, cols, out);
    final int edge = padlen(sos);
    if (rows <= edge) {
      throw new IllegalArgumentException("forward-backward filtering needs more than " + edge
          + " samples (scipy's padlen for this " + sos.numSections()
          + "-section filter) but the block has " + rows);
    }
    final int ns = sos.numSections();
    final double[][] zi = sosfiltZi(sos);
    final double[][] z0 = new double[ns][cols];
    final double[][] z1 = new double[ns][cols];
    final double[] cur = new double[cols];
    final Coefficients k = new Coefficients(sos);
    // The right-hand extension reads the last edge+1 input samples; copy them first so that
    // in == out works (the forward pass overwrites them).
    final float[] tail = new float[(edge + 1) * cols];
    System.arraycopy(in, (rows - 1 - edge) * cols, tail, 0, tail.length);
    final int lastTail = edge * cols; // x[rows-1] within tail

    // Forward pass, initial state zi * ext[0] with ext[0] = 2·x[0] − x[edge].
    for (int c = 0; c < cols; c++) {
      cur[c] = 2f * in[c] - in[edge * cols + c];
    }
    initState(zi, cur, z0, z1, cols);
    for (int j = 0; j < edge; j++) { // left extension ext[j] = 2·x[0] − x[edge − j]
      int off = (edge - j) * cols;
      for (int c = 0; c < cols; c++) {
        cur[c] = 2f * in[c] - in[off + c];
      }
      step(k, cur, z0, z1, cols, vector);
    }
    rowsThrough(k, in, out, rows, cols, false, cur, z0, z1, NOBODY, vector);
    final double[] padOut = new double[edge * cols]; // forward output over the right extension
    for (int j = 0; j < edge; j++) { // ext = 2·x[n−1] − x[n−2−j]
      int off = (edge - 1 - j) * cols;
      for (int c = 0; c < cols; c++) {
        cur[c] = 2f * tail[lastTail + c] - tail[off + c];
      }
      step(k, cur, z0, z1, cols, vector);
      System.arraycopy(cur, 0, padOut, j * cols, cols);
    }

    // Backward pass from the end of the extension, initial state zi * y[last].
    System.arraycopy(padOut, (edge - 1) * cols, cur, 0, cols);
    initState(zi, cur, z0, z1, cols);
    for (int j = edge - 1; j >= 0; j--) {
      System.arraycopy(padOut, j * cols, cur, 0, cols);
      step(k, cur, z0, z1, cols, vector);
    }
    rowsThrough(k, out, out, rows, cols, true, cur, z0, z1, done, vector);
  }

  /** Every row of the block through the cascade, first to last or (reverse) last to first. */
  private static void rowsThrough(Coefficients k, float[] src, float[] dst, int rows, int cols,
      boolean reverse, double[] cur, double[][] z0, double[][] z1, FinishedRows done, boolean vector) {
    if (vector && k.sections == 5) {
      SosFilterVector.run5(k, src, dst, 0, rows, cols, reverse, z0, z1,
          new double[SosFilterVector.scratchSize(cols)], done);
      return;
    }
    for (int i = 0; i < rows; i++) {
      int row = reverse ? rows - 1 - i : i;
      stepRow(k, src, row * cols, dst, row * cols, cur, z0, z1, cols, vector);
      done.rows(row, row + 1);
    }
  }

  /** In-place {@link #filtfilt(Sos, float[], int, int, float[])}. */
  public static void filtfilt(Sos sos, float[] block, int rows, int cols) {
    filtfilt(sos, block, rows, cols, block);
  }

  /** Causal filtering from a zero state, {@code sosfilt(sos, x, axis=0)}. {@code out} may be {@code in}. */
  public static void forward(Sos sos, float[] in, int rows, int cols, float[] out) {
    run(sos, in, rows, cols, out, false, NOBODY);
  }

  /** {@link #forward(Sos, float[], int, int, float[])}, telling {@code done} as rows are finished (first to last). */
  public static void forward(Sos sos, float[] in, int rows, int cols, float[] out, FinishedRows done) {
    run(sos, in, rows, cols, out, false, done);
  }

  /**
   * Anti-causal filtering from a zero state at the last sample: {@code sosfilt} on the
   * time-reversed block, reversed back. {@code out} may be {@code in}.
   */
  public static void backward(Sos sos, float[] in, int rows, int cols, float[] out) {
    run(sos, in, rows, cols, out, true, NOBODY);
  }

  /** {@link #backward(Sos, float[], int, int, float[])}, telling {@code done} as rows are finished (last to first). */
  public static void backward(Sos sos, float[] in, int rows, int cols, float[] out, FinishedRows done) {
    run(sos, in, rows, cols, out, true, done);
  }

  private static void run(Sos sos, float[] in, int rows, int cols, float[] out, boolean reverse,
      FinishedRows done) {
    checkBlock(in, rows, cols, out);
    final int ns = sos.numSections();
    final double[][] z0 = new double[ns][cols];
    final double[][] z1 = new double[ns][cols];
    final double[] cur = new double[cols];
    final Coefficients k = new Coefficients(sos);
    rowsThrough(k, in, out, rows, cols, reverse, cur, z0, z1, done, Simd.ENABLED);
  }

  /** A cascade's coefficients as the kernels use them: one array per coefficient, a1 and a2 negated. */
  static final class Coefficients {
    final int sections;
    final double[] b0;
    final double[] b1;
    final double[] b2;
    final double[] na1;
    final double[] na2;

    Coefficients(Sos sos) {
      sections = sos.numSections();
      b0 = new double[sections];
      b1 = new double[sections];
      b2 = new double[sections];
      na1 = new double[sections];
      na2 = new double[sections];
      for (int s = 0; s < sections; s++) {
        b0[s] = sos.get(s, 0);
        b1[s] = sos.get(s, 1);
        b2[s] = sos.get(s, 2);
        na1[s] = -sos.get(s, 4);
        na2[s] = -sos.get(s, 5);
      }
    }
  }

  /**
   * One sample (a float32 row of {@code cols} channels at {@code srcOff}) through every section,
   * result rounded to float32 at {@code dstOff}; {@code dst} may be {@code src}. {@code cur} is
   * scratch for the plain path.
   */
  private static void stepRow(Coefficients k, float[] src, int srcOff, float[] dst, int dstOff,
      double[] cur, double[][] z0, double[][] z1, int cols, boolean vector) {
    if (vector) {
      SosFilterVector.stepRow(k, src, srcOff, dst, dstOff, cur, z0, z1, cols);
      return;
    }
    for (int c = 0; c < cols; c++) {
      cur[c] = src[srcOff + c];
    }
    stepPlain(k, cur, z0, z1, cols);
    for (int c = 0; c < cols; c++) {
      dst[dstOff + c] = (float) cur[c];
    }
  }

  /** One sample through every section for all channels; {@code cur} holds input then output. */
  private static void step(Coefficients k, double[] cur, double[][] z0, double[][] z1, int cols,
      boolean vector) {
    if (vector) {
      SosFilterVector.step(k, cur, z0, z1, cols);
    } else {
      stepPlain(k, cur, z0, z1, cols);
    }
  }

  /**
   * The plain-Java step. State is one array per section (not one flat array with offsets): JDK
   * 17's C2 only vectorises a loop over several arrays of one element type when they are all
   * indexed from 0 (it cannot rule out aliasing between different offsets), and that is worth ~5×
   * here.
   */
  static void stepPlain(Coefficients k, double[] cur, double[][] z0, double[][] z1, int cols) {
    for (int s = 0; s < k.sections; s++) {
      final double b0 = k.b0[s];
      final double b1 = k.b1[s];
      final double b2 = k.b2[s];
      final double na1 = k.na1[s];
      final double na2 = k.na2[s];
      final double[] za = z0[s];
      final double[] zb = z1[s];
      for (int c = 0; c < cols; c++) {
        final double x = cur[c];
        final double y = Math.fma(b0, x, za[c]);
        za[c] = Math.fma(na1, y, Math.fma(b1, x, zb[c]));
        zb[c] = Math.fma(na2, y, b2 * x);
        cur[c] = y;
      }
    }
  }

  private static void initState(double[][] zi, double[] edgeValue, double[][] z0, double[][] z1,
      int cols) {
    for (int s = 0; s < zi.length; s++) {
      for (int c = 0; c < cols; c++) {
        z0[s][c] = zi[s][0] * edgeValue[c];
        z1[s][c] = zi[s][1] * edgeValue[c];
      }
    }
  }

  /**
   * scipy's {@code sosfilt_zi}: the steady-state response of each section to a unit step, scaled
   * by the DC gain of the sections before it. Per section this is lfilter_zi's 2×2 solve of
   * (I − Aᵀ) zi = b[1:] − a[1:]·b0, written out in closed form.
   */
  static double[][] sosfiltZi(Sos sos) {
    int ns = sos.numSections();
    double[][] zi = new double[ns][2];
    double scale = 1.0;
    for (int s = 0; s < ns; s++) {
      double b0 = sos.get(s, 0);
      double b1 = sos.get(s, 1);
      double b2 = sos.get(s, 2);
      double a1 = sos.get(s, 4);
      double a2 = sos.get(s, 5);
      double rhs0 = b1 - a1 * b0;
      double rhs1 = b2 - a2 * b0;
      double v0 = (rhs0 + rhs1) / (1 + a1 + a2);
      double v1 = rhs1 - a2 * v0;
      zi[s][0] = v0 * scale;
      zi[s][1] = v1 * scale;
      scale *= (b0 + b1 + b2) / (1 + a1 + a2);
    }
    return zi;
  }

  /**
   * Samples after which the impulse response envelope r^n of the slowest pole (largest magnitude
   * r over all sections) falls below {@code tolerance}: n = ceil(ln(tol)/ln(r)). The pipeline uses
   * it as the tile margin on each side for forward-backward filtering.
   *
   * <p>Why no extra factor: a tile's left-edge error is a transient of the forward pass that decays
   * like r^n; the backward pass applied to it sums h(k)·r^(n+k), which keeps the r^n envelope times
   * a bounded gain, and the right edge is the mirror case; Butterworth poles are simple, so no
   * n·r^n multiplicity term. The transient's size is proportional to the signal at the tile edge
   * (DC offset included), not to the filtered output, so the relative error is about
   * tol × |x|/rms(y). Measured: bandpass 300–6000 Hz order 5 at 30 kHz, DC offsets 70× the
   * filtered rms, tol 1e-6 (margin 766) gives 1e-6, tol 1e-9 (margin 1149) gives 3e-7, which is
   * float32 rounding. So tol 1e-9 leaves room for offsets up to ~1000× the filtered rms.
   */
  public static int settlingSamples(Sos sos, double tolerance) {
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
    }
    double r = 0;
    for (int s = 0; s < sos.numSections(); s++) {
      r = Math.max(r, maxPoleMagnitude(sos.get(s, 4), sos.get(s, 5)));
    }
    if (r >= 1) {
      throw new IllegalArgumentException(
          "filter is not stable (a pole has magnitude " + r + " >= 1): it never settles");
    }
    if (r == 0) { // FIR: the response ends after the sections' delays
      return 2 * sos.numSections();
    }
    return (int) Math.ceil(Math.log(tolerance) / Math.log(r));
  }

  /** Largest |root| of z² + a1·z + a2. */
  private static double maxPoleMagnitude(double a1, double a2) {
    double disc = a1 * a1 - 4 * a2;
    if (disc < 0) {
      return Math.sqrt(a2); // complex pair: |p|² = a2
    }
    double sq = Math.sqrt(disc);
    return Math.max(Math.abs((-a1 + sq) / 2), Math.abs((-a1 - sq) / 2));
  }

  static void checkBlock(float[] in, int rows, int cols, float[] out) {
    if (rows < 0 || cols < 1) {
      throw new IllegalArgumentException("block shape must be rows >= 0, cols >= 1, got "
          + rows + " x " + cols);
    }
    long n = (long) rows * cols;
    if (in.length < n || out.length < n) {
      throw new IllegalArgumentException("block arrays are shorter than " + rows + " x " + cols
          + " = " + n + " samples (in " + in.length + ", out " + out.length + ")");
    }
  }
}
