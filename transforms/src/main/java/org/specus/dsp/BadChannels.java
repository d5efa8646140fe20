package org.specus.dsp;

import java.util.Arrays;

/**
 * Bad-channel detection on one chunk by the coherence + high-frequency power method of the
 * International Brain Laboratory, with SpikeInterface's defaults ({@code detect_bad_channels(
 * method='coherence+psd')}). Labels: {@link #GOOD} 0, {@link #DEAD} 1, {@link #NOISE} 2,
 * {@link #OUTSIDE} 3 (outside the brain).
 *
 * <p>On a chunk in µV (highpassed), channels in depth order (bottom to top):
 * <ol>
 *   <li>each channel's mean is removed;
 *   <li>similarity: {@code xcorr_c = Σ_t x_c(t)·ref(t) / Σ_t ref(t)²} with {@code ref} the
 *       per-sample median over channels;
 *   <li>{@code detrend(v) = v − medfilt(v, 11)}, the median filter run on {@code v} padded with 6
 *       copies of its end values; {@code near = detrend(xcorr)}, {@code far = xcorr − near − 1};
 *   <li>{@code psd_hf}: the mean over frequencies above {@code 0.8 × Nyquist} of Welch's PSD
 *       (Hann window of {@code welch_ms} (10 ms), half overlap, each segment's mean removed,
 *       one-sided density in µV²/Hz), as {@code scipy.signal.welch};
 *   <li>dead if {@code near < −0.5}; noise (overrides) if {@code psd_hf > 0.02} or {@code near > 1};
 *       outside (overrides) for the channels with {@code far < −0.75} when the top channel is one
 *       of them: the last contiguous run of such channels.
 * </ol>
 *
 * <p>One difference from SpikeInterface 0.104, on purpose: there the top run is marked only when
 * it is not the only run ({@code a > 0}), so a probe whose only low-coherence channels are a
 * contiguous block at the top gets none marked; IBL's original marks it, and so does this.
 *
 * <p>The PSD needs only the bins above 0.8 × Nyquist (30 of 151 for 300-sample segments), so
 * they are computed directly as DFT sums, channels in the inner loop; that is cheaper than a
 * full FFT of the segment.
 */
public final class BadChannels {
  public static final int GOOD = 0;
  public static final int DEAD = 1;
  public static final int NOISE = 2;
  public static final int OUTSIDE = 3;
  private static final String[] NAMES = {"good", "dead", "noise", "out"};

  private BadChannels() {}

  /** The label's name as SpikeInterface writes it: good, dead, noise, out. */
  public static String name(int label) {
    return NAMES[label];
  }

  /**
   * Thresholds and windows of the method.
   *
   * @param psdHfThreshold µV²/Hz (SpikeInterface: 0.02 for AP bands)
   * @param welchMs Welch segment length in ms (SpikeInterface's wrapper: 10)
   */
  public record Params(double psdHfThreshold, double deadThreshold, double noisyThreshold,
      double outsideThreshold, int neighbours, double nyquistFraction, double welchMs) implements java.io.Serializable {
    public static Params spikeInterface() {
      return new Params(0.02, -0.5, 1.0, -0.75, 11, 0.8, 10.0);
    }
  }

  /** What the labels are decided from, per channel (depth order). */
  public record Features(double[] xcorr, double[] near, double[] far, double[] psdHf) {}

  /** Labels of one chunk; {@code block} is sample-major µV, channels in depth order. */
  public static int[] labels(float[] block, int rows, int cols, double fs, Params p) {
    return labels(features(block, rows, cols, fs, p), p);
  }

  public static int[] labels(Features f, Params p) {
    int n = f.near().length;
    int[] labels = new int[n];
    for (int c = 0; c < n; c++) {
      if (f.near()[c] < p.deadThreshold()) {
        labels[c] = DEAD;
      }
    }
    for (int c = 0; c < n; c++) {
      if (f.psdHf()[c] > p.psdHfThreshold() || f.near()[c] > p.noisyThreshold()) {
        labels[c] = NOISE;
      }
    }
    if (n > 0 && f.far()[n - 1] < p.outsideThreshold()) {
      for (int c = n - 1; c >= 0 && f.far()[c] < p.outsideThreshold(); c--) {
        labels[c] = OUTSIDE;
      }
    }
    return labels;
  }

  public static Features features(float[] block, int rows, int cols, double fs, Params p) {
    SosFilter.checkBlock(block, rows, cols, block);
    double[] x = new double[rows * cols];
    double[] mean = new double[cols];
    for (int t = 0; t < rows; t++) {
      for (int c = 0; c < cols; c++) {
        mean[c] += block[t * cols + c];
      }
    }
    for (int c = 0; c < cols; c++) {
      mean[c] /= rows;
    }
    for (int t = 0; t < rows; t++) {
      for (int c = 0; c < cols; c++) {
        x[t * cols + c] = block[t * cols + c] - mean[c];
      }
    }
    double[] xcorr = similarity(x, rows, cols);
    double[] trend = trend(xcorr, p.neighbours());
    double[] near = new double[cols];
    double[] far = new double[cols];
    for (int c = 0; c < cols; c++) {
      near[c] = xcorr[c] - trend[c];
      far[c] = trend[c] - 1;
    }
    return new Features(xcorr, near, far, highFrequencyPsd(x, rows, cols, fs, p));
  }

  /** Σ_t x_c(t)·ref(t) / Σ_t ref(t)², ref the per-sample median (numpy's, in double). */
  static double[] similarity(double[] x, int rows, int cols) {
    double[] row = new double[cols];
    double[] num = new double[cols];
    double den = 0;
    for (int t = 0; t < rows; t++) {
      System.arraycopy(x, t * cols, row, 0, cols);
      Arrays.sort(row);
      double ref = (cols & 1) == 1 ? row[cols / 2] : (row[cols / 2 - 1] + row[cols / 2]) / 2;
      den += ref * ref;
      for (int c = 0; c < cols; c++) {
        num[c] += x[t * cols + c] * ref;
      }
    }
    for (int c = 0; c < cols; c++) {
      num[c] /= den;
    }
    return num;
  }

  /** scipy.signal.medfilt(v padded with ceil(k/2) end copies, k), unpadded: the trend IBL subtracts. */
  static double[] trend(double[] v, int k) {
    if (k < 1 || k % 2 == 0) {
      throw new IllegalArgumentException("median filter length must be odd and positive, got " + k);
    }
    int n = v.length;
    int tap = (k + 1) / 2;
    double[] padded = new double[n + 2 * tap];
    for (int i = 0; i < padded.length; i++) {
      int j = Math.min(Math.max(i - tap, 0), n - 1);
      padded[i] = v[j];
    }
    double[] out = new double[n];
    double[] window = new double[k];
    int h = k / 2;
    for (int i = 0; i < n; i++) {
      int centre = i + tap;
      for (int j = 0; j < k; j++) {
        int idx = centre - h + j;
        window[j] = idx < 0 || idx >= padded.length ? 0 : padded[idx]; // medfilt's zero padding
      }
      Arrays.sort(window);
      out[i] = window[h];
    }
    return out;
  }

  /**
   * Mean of scipy.signal.welch's one-sided PSD ({@code window='hann'}, {@code nperseg =
   * int(welch_ms·fs/1000)}, {@code noverlap = nperseg/2}, {@code detrend='constant'},
   * {@code scaling='density'}, mean over segments) over the frequencies above
   * {@code nyquistFraction × fs/2}.
   */
  static double[] highFrequencyPsd(double[] x, int rows, int cols, double fs, Params p) {
    int nperseg = (int) (p.welchMs() * fs / 1000);
    if (nperseg > rows) {
      nperseg = rows; // scipy shortens nperseg to the signal length
    }
    int step = nperseg - nperseg / 2;
    int kFirst = -1;
    int kLast = nperseg / 2; // the last one-sided bin
    for (int k = 0; k <= kLast; k++) {
      if (k * fs / nperseg > fs / 2 * p.nyquistFraction()) {
        kFirst = k;
        break;
      }
    }
    double[] psd = new double[cols];
    if (kFirst < 0) {
      Arrays.fill(psd, Double.NaN);
      return psd;
    }
    int bins = kLast - kFirst + 1;
    double[] w = new double[nperseg];
    double wss = 0;
    for (int i = 0; i < nperseg; i++) {
      w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / nperseg); // periodic Hann, as get_window
      wss += w[i] * w[i];
    }
    double[][] cos = new double[bins][nperseg];
    double[][] sin = new double[bins][nperseg];
    for (int b = 0; b < bins; b++) {
      for (int i = 0; i < nperseg; i++) {
        double a = -2 * Math.PI * (double) ((long) (kFirst + b) * i % nperseg) / nperseg;
        cos[b][i] = Math.cos(a);
        sin[b][i] = Math.sin(a);
      }
    }
    double[][] re = new double[bins][cols];
    double[][] im = new double[bins][cols];
    double[] segMean = new double[cols];
    double[] v = new double[cols];
    int segments = 0;
    for (int s = 0; s + nperseg <= rows; s += step) {
      Arrays.fill(segMean, 0);
      for (int i = 0; i < nperseg; i++) {
        int off = (s + i) * cols;
        for (int c = 0; c < cols; c++) {
          segMean[c] += x[off + c];
        }
      }
      for (int c = 0; c < cols; c++) {
        segMean[c] /= nperseg;
      }
      for (int b = 0; b < bins; b++) {
        Arrays.fill(re[b], 0);
        Arrays.fill(im[b], 0);
      }
      for (int i = 0; i < nperseg; i++) {
        int off = (s + i) * cols;
        for (int c = 0; c < cols; c++) {
          v[c] = (x[off + c] - segMean[c]) * w[i];
        }
        for (int b = 0; b < bins; b++) {
          final double cb = cos[b][i];
          final double sb = sin[b][i];
          final double[] r = re[b];
          final double[] m = im[b];
          for (int c = 0; c < cols; c++) {
            r[c] += v[c] * cb;
            m[c] += v[c] * sb;
          }
        }
      }
      for (int b = 0; b < bins; b++) {
        int k = kFirst + b;
        boolean doubled = k != 0 && !(nperseg % 2 == 0 && k == nperseg / 2);
        double scale = (doubled ? 2.0 : 1.0) / (fs * wss);
        for (int c = 0; c < cols; c++) {
          psd[c] += (re[b][c] * re[b][c] + im[b][c] * im[b][c]) * scale;
        }
      }
      segments++;
    }
    for (int c = 0; c < cols; c++) {
      psd[c] /= (double) segments * bins;
    }
    return psd;
  }

  /**
   * The label per channel over chunks: the most frequent, ties to the smallest label
   * ({@code scipy.stats.mode}).
   */
  public static int[] mode(java.util.List<int[]> chunkLabels, int cols) {
    int[] out = new int[cols];
    for (int c = 0; c < cols; c++) {
      int[] count = new int[4];
      for (int[] l : chunkLabels) {
        count[l[c]]++;
      }
      int best = 0;
      for (int k = 1; k < 4; k++) {
        if (count[k] > count[best]) {
          best = k;
        }
      }
      out[c] = best;
    }
    return out;
  }

  /**
   * Channels in depth order as SpikeInterface sorts them ({@code np.lexsort((x, y))}: by y, then
   * x, stable): {@code order[i]} is the channel at depth rank i.
   */
  public static int[] depthOrder(double[][] xy) {
    Integer[] idx = new Integer[xy.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> {
      int cy = Double.compare(xy[a][1], xy[b][1]);
      return cy != 0 ? cy : Double.compare(xy[a][0], xy[b][0]);
    });
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  /**
   * Interpolation weights of each bad channel from the good ones (IBL / SpikeInterface kriging):
   * {@code w = exp(−(d/σ)^p)} with {@code σ = 20 µm}, {@code p = 1.3} by default, weights below
   * 0.005 dropped, the rest normalised to sum 1; a bad channel with no good neighbour gets no
   * weights (it becomes zero). Row-major {@code [bad index][channel]}.
   */
  public static double[][] interpolationWeights(double[][] xy, int[] labels, double sigmaUm, double p) {
    int n = xy.length;
    int bad = 0;
    for (int l : labels) {
      bad += l != GOOD ? 1 : 0;
    }
    double[][] w = new double[bad][n];
    int b = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] == GOOD) {
        continue;
      }
      double sum = 0;
      for (int j = 0; j < n; j++) {
        if (labels[j] != GOOD) {
          continue;
        }
        double dx = xy[j][0] - xy[i][0];
        double dy = xy[j][1] - xy[i][1];
        double v = Math.exp(-Math.pow(Math.sqrt(dx * dx + dy * dy) / sigmaUm, p));
        if (v >= 0.005) {
          w[b][j] = v;
          sum += v;
        }
      }
      if (sum > 0) {
        for (int j = 0; j < n; j++) {
          w[b][j] /= sum;
        }
      }
      b++;
    }
    return w;
  }
}
