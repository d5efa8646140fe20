package org.specus.dsp;

/**
 * In-place iterative radix-2 complex FFT of a power-of-two length, on separate real and imaginary
 * double arrays, with the twiddle factors and bit-reversal table computed once per length. Enough
 * for the phase-shift frames; sums in double, so a round trip is exact to ~1e-15 relative.
 */
public final class Fft {
  private final int n;
  private final int[] reversed;
  private final double[] cos;
  private final double[] sin;
  // Twiddles stage by stage, contiguous (stage of size s at offset s/2 - 1): the butterfly loop
  // then reads them in order instead of with a stride.
  private final double[] stageCos;
  private final double[] stageSin;

  public Fft(int n) {
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT length must be a power of two >= 2, got " + n);
    }
    this.n = n;
    int bits = Integer.numberOfTrailingZeros(n);
    reversed = new int[n];
    for (int i = 0; i < n; i++) {
      reversed[i] = Integer.reverse(i) >>> (32 - bits);
    }
    cos = new double[n / 2];
    sin = new double[n / 2];
    for (int k = 0; k < n / 2; k++) {
      double a = -2 * Math.PI * k / n;
      cos[k] = Math.cos(a);
      sin[k] = Math.sin(a);
    }
    stageCos = new double[n];
    stageSin = new double[n];
    for (int size = 2; size <= n; size <<= 1) {
      int half = size >>> 1;
      int step = n / size;
      for (int k = 0; k < half; k++) {
        stageCos[half - 1 + k] = cos[k * step];
        stageSin[half - 1 + k] = sin[k * step];
      }
    }
  }

  public int length() {
    return n;
  }

  /** Forward transform, {@code X[k] = Σ x[t] e^{-2πikt/n}}. */
  public void forward(double[] re, double[] im) {
    transform(re, im, false);
  }

  /** Inverse transform without the 1/n factor, {@code x[t] = Σ X[k] e^{+2πikt/n}}. */
  public void inverseUnscaled(double[] re, double[] im) {
    transform(re, im, true);
  }

  private void transform(double[] re, double[] im, boolean inverse) {
    for (int i = 0; i < n; i++) {
      int j = reversed[i];
      if (j > i) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    double sign = inverse ? -1 : 1;
    for (int size = 2; size <= n; size <<= 1) {
      int half = size >>> 1;
      int base = half - 1;
      for (int start = 0; start < n; start += size) {
        for (int k = 0; k < half; k++) {
          double wr = stageCos[base + k];
          double wi = sign * stageSin[base + k];
          int a = start + k;
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
