package org.specus.dsp;

import java.util.Arrays;

/**
 * Sub-sample delay correction per channel in the frequency domain (SpikeInterface's
 * {@code phase_shift}, IBL's {@code fshift}): each channel is delayed by its own shift {@code s}
 * (in samples) by multiplying its real FFT by {@code e^{-iωs}}, {@code ω = 2πk/L}, which moves a
 * channel sampled {@code s} late back to the sample clock. As numpy's {@code irfft}, the Nyquist
 * bin keeps only its real part.
 *
 * <p><b>Frames anchored on the recording.</b> The FFT runs on frames of fixed length
 * {@code L = B + 2M}: frame {@code k} reads samples {@code [kB − M, (k+1)B + M)} (zeros beyond
 * the recording, as SpikeInterface's {@code add_zeros}), multiplies its first and last {@code M}
 * samples by a raised-cosine taper {@code (1 − cos(πi/M))/2} (SpikeInterface's
 * {@code window_on_margin}), transforms, shifts, transforms back and keeps its core
 * {@code [kB, (k+1)B)}. Because frames are placed by absolute sample index and not by tile, every
 * output sample is computed from the same frame whatever the tiling: the result does not depend on
 * the tile length at all (bit for bit), and equals SpikeInterface's with {@code chunk_size = B}
 * away from the recording's last frame. {@code M} is SpikeInterface's {@code margin_ms = 40}
 * ({@code int(40·fs/1000)}); {@code L} is the power of two {@code >= 4M}, so {@code B >= 2M}.
 *
 * <p>Two real channels share one complex FFT (one as the real part, one as the imaginary part,
 * separated by conjugate symmetry). Arithmetic is double; the output is rounded to float32.
 */
public final class PhaseShift implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int margin;
  private final int core;
  private final int length;
  private final double[] taper;
  private final double[] shifts;
  private final long recordingSamples;

  /**
   * @param shifts delay of each channel in samples
   * @param margin taper margin {@code M} in samples
   * @param recordingSamples the recording's length (frames beyond it read zeros)
   */
  public PhaseShift(double[] shifts, int margin, long recordingSamples) {
    if (margin < 1) {
      throw new IllegalArgumentException("phase shift margin must be at least 1 sample, got " + margin);
    }
    this.margin = margin;
    this.length = Integer.highestOneBit(Math.max(4 * margin, 8) - 1) << 1;
    this.core = length - 2 * margin;
    this.shifts = shifts.clone();
    this.recordingSamples = recordingSamples;
    this.taper = new double[margin];
    for (int i = 0; i < margin; i++) {
      taper[i] = (1 - Math.cos(i * Math.PI / margin)) / 2;
    }
  }

  /** FFT frame length {@code L}. */
  public int frameLength() {
    return length;
  }

  /** Samples each frame keeps, {@code B}. */
  public int frameCore() {
    return core;
  }

  /**
   * How far beyond a span its input must reach so that every sample of the span is computed
   * from a complete frame: the span's first frame may start up to {@code B − 1} samples before it.
   */
  public int requiredMargin() {
    return core - 1 + margin;
  }

  /**
   * Shifts samples {@code [first, first + rows)} of a sample-major block. Samples whose frame
   * reaches outside the block (and inside the recording) cannot be computed and are set to NaN,
   * so a caller that keeps them by mistake notices; with {@link #requiredMargin} of input on each
   * side of a span, the whole span is computed.
   */
  public void apply(float[] block, long first, int rows, int cols) {
    apply(block, first, rows, cols, first, first + rows);
  }

  /**
   * As {@link #apply(float[], long, int, int)}, computing only the frames that overlap
   * {@code [needFrom, needTo)}: the rest of the block is NaN. Which frames exist does not depend
   * on the block, so skipping some does not change the others.
   */
  public void apply(float[] block, long first, int rows, int cols, long needFrom, long needTo) {
    if (shifts.length != cols) {
      throw new IllegalArgumentException("phase shift has " + shifts.length + " channel shifts, the block has "
          + cols + " channels");
    }
    SosFilter.checkBlock(block, rows, cols, block);
    long end = first + rows;
    long firstFrame = Math.floorDiv(Math.max(first, needFrom), core);
    long lastFrame = Math.floorDiv(Math.min(end, needTo) - 1, core);
    float[] out = new float[rows * cols];
    Arrays.fill(out, Float.NaN);
    double[][] rotation = rotations();
    Fft fft = new Fft(length);
    double[] re = new double[length];
    double[] im = new double[length];
    for (long k = firstFrame; k <= lastFrame; k++) {
      long from = k * core - margin;
      long to = (k + 1) * core + margin;
      if (Math.max(from, 0) < first || Math.min(to, recordingSamples) > end) {
        continue; // the frame's input is not all in the block
      }
      for (int c = 0; c < cols; c += 2) {
        int c2 = c + 1 < cols ? c + 1 : -1;
        load(block, first, rows, cols, from, c, re);
        if (c2 >= 0) {
          load(block, first, rows, cols, from, c2, im);
        } else {
          Arrays.fill(im, 0);
        }
        fft.forward(re, im);
        rotatePair(re, im, rotation[c], c2 >= 0 ? rotation[c2] : rotation[c]);
        fft.inverseUnscaled(re, im);
        long keepFrom = Math.max(k * core, first);
        long keepTo = Math.min((k + 1) * core, end);
        for (long t = keepFrom; t < keepTo; t++) {
          int i = (int) (t - from);
          int row = (int) (t - first);
          out[row * cols + c] = (float) (re[i] / length);
          if (c2 >= 0) {
            out[row * cols + c2] = (float) (im[i] / length);
          }
        }
      }
    }
    System.arraycopy(out, 0, block, 0, rows * cols);
  }

  /** Frame samples of channel c, zeros outside the recording, tapered over the margins. */
  private void load(float[] block, long first, int rows, int cols, long from, int c, double[] dst) {
    for (int i = 0; i < length; i++) {
      long t = from + i;
      double v = t < 0 || t >= recordingSamples ? 0 : block[(int) (t - first) * cols + c];
      if (i < margin) {
        v *= taper[i];
      } else if (i >= length - margin) {
        v *= taper[length - 1 - i];
      }
      dst[i] = v;
    }
  }

  /**
   * Z = FFT(a + ib) → A, B by conjugate symmetry, each multiplied by its channel's rotation for
   * k = 0..L/2 (Nyquist: real part only, as irfft), and recombined as A + iB with A and B
   * Hermitian so that the inverse FFT returns a' + ib'.
   */
  private void rotatePair(double[] re, double[] im, double[] rotA, double[] rotB) {
    int half = length / 2;
    for (int k = 0; k <= half; k++) {
      int m = (length - k) % length;
      double zr = re[k];
      double zi = im[k];
      double cr = re[m];
      double ci = -im[m];
      double ar = (zr + cr) / 2;
      double ai = (zi + ci) / 2;
      double br = (zi - ci) / 2; // (Z − conj Z[m]) / 2i
      double bi = -(zr - cr) / 2;
      double ra = rotA[2 * k];
      double ia = rotA[2 * k + 1];
      double rb = rotB[2 * k];
      double ib = rotB[2 * k + 1];
      double ar2 = ar * ra - ai * ia;
      double ai2 = ar * ia + ai * ra;
      double br2 = br * rb - bi * ib;
      double bi2 = br * ib + bi * rb;
      if (k == 0 || k == half) {
        ai2 = 0;
        bi2 = 0;
      }
      re[k] = ar2 - bi2;
      im[k] = ai2 + br2;
      if (k != 0 && k != half) {
        re[m] = ar2 + bi2; // conj(A) + i conj(B)
        im[m] = -ai2 + br2;
      }
    }
  }

  /** e^{-2πiks/L} for k = 0..L/2, interleaved (re, im), per channel; channels with equal shifts share. */
  private double[][] rotations() {
    double[][] r = new double[shifts.length][];
    java.util.Map<Double, double[]> byShift = new java.util.HashMap<>();
    for (int c = 0; c < shifts.length; c++) {
      r[c] = byShift.computeIfAbsent(shifts[c], s -> {
        double[] t = new double[length + 2];
        for (int k = 0; k <= length / 2; k++) {
          double a = -2 * Math.PI * k / length * s;
          t[2 * k] = Math.cos(a);
          t[2 * k + 1] = Math.sin(a);
        }
        return t;
      });
    }
    return r;
  }
}
