package org.specus.dsp;

/**
 * Global common reference on a sample-major float32 block, in place: at every sample the median
 * (or mean) over all channels is subtracted from every channel.
 *
 * <p>The median is numpy's: for an even channel count, the mean of the two middle values computed
 * in float32 ({@code (a + b) / 2}, as {@code np.median} does on float32 data), so the result is
 * bit-identical to {@code x - np.median(x, axis=1, keepdims=True)}. A row containing NaN gets a
 * NaN median, as in numpy. A zero median is {@code +0}, as numpy's is: np.median takes the mean of
 * the middle value(s), and numpy's float32 sum starts from {@code +0}, so {@code -0} never comes
 * out (the earlier quickselect could return {@code -0}, which changed the sign of zero outputs).
 *
 * <p>Rows go through {@link RowMedians}: with the vector module, a prediction from the previous
 * sample's median and a few counting passes (about 15 ms of CPU for 30000 × 384 on one core,
 * against 53 ms for quickselect, which remains the plain-Java path and the fallback). Both paths
 * return the same bits.
 *
 * <p>The mean is accumulated in double and rounded once to float32; it matches
 * {@code np.mean(x, axis=1)} to float rounding, not bit for bit (numpy sums pairwise in float32).
 */
public final class CommonReference {
  private CommonReference() {}

  /** Subtracts the per-sample median over the {@code cols} channels. */
  public static void subtractMedian(float[] block, int rows, int cols) {
    subtractMedian(block, rows, cols, Simd.ENABLED);
  }

  /** {@link #subtractMedian(float[], int, int)} on the path chosen by the caller (tests, benchmarks). */
  static void subtractMedian(float[] block, int rows, int cols, boolean vector) {
    SosFilter.checkBlock(block, rows, cols, block);
    new Medians(cols, vector).subtract(block, 0, rows);
  }

  private static void checkRows(float[] block, int from, int to, int cols) {
    if (from < 0 || from > to) {
      throw new IllegalArgumentException("rows " + from + ".." + to + ": need 0 <= from <= to");
    }
    SosFilter.checkBlock(block, to, cols, block);
  }

  /**
   * The median reference a run of rows at a time, for a block whose rows arrive in runs (as a
   * filter finishes them): one per block and thread, as it carries {@link RowMedians}' prediction
   * from one row to the next.
   */
  public static final class Medians {
    private final int cols;
    private final RowMedians medians;

    public Medians(int cols) {
      this(cols, Simd.ENABLED);
    }

    Medians(int cols, boolean vector) {
      this.cols = cols;
      this.medians = new RowMedians(cols, vector);
    }

    /** Subtracts each row's median over the channels from rows {@code from..to} of {@code block}. */
    public void subtract(float[] block, int from, int to) {
      checkRows(block, from, to, cols);
      for (int t = from; t < to; t++) {
        final int off = t * cols;
        final float med = medians.median(block, off, cols);
        for (int c = 0; c < cols; c++) {
          block[off + c] -= med;
        }
      }
    }
  }

  /** Subtracts the per-sample mean (common average reference) over the {@code cols} channels. */
  public static void subtractAverage(float[] block, int rows, int cols) {
    subtractAverage(block, 0, rows, cols);
  }

  /** {@link #subtractAverage(float[], int, int)} on rows {@code from..to} of the block. */
  public static void subtractAverage(float[] block, int from, int to, int cols) {
    checkRows(block, from, to, cols);
    for (int t = from; t < to; t++) {
      final int off = t * cols;
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        sum += block[off + c];
      }
      final float mean = (float) (sum / cols);
      for (int c = 0; c < cols; c++) {
        block[off + c] -= mean;
      }
    }
  }

  /**
   * numpy's median of {@code a[0..n)} (NaN if any value is NaN; {@code +0} if zero) by
   * quickselect; reorders {@code a}.
   */
  static float median(float[] a, int n) {
    for (int i = 0; i < n; i++) {
      if (a[i] != a[i]) {
        return Float.NaN; // as numpy; also keeps NaN out of the selection's comparisons
      }
    }
    final int k = n >>> 1;
    final float upper = select(a, n, k);
    if ((n & 1) == 1) {
      return upper + 0f; // + 0: -0 becomes +0, as in numpy's mean (its sum starts at +0)
    }
    // After select, a[0..k) are all <= a[k]: the lower middle value is their maximum.
    float lower = a[0];
    for (int i = 1; i < k; i++) {
      lower = Math.max(lower, a[i]);
    }
    return (lower + upper) / 2f + 0f;
  }

  /**
   * Quickselect with a branch-free Lomuto partition (the comparison result is added to the
   * boundary index instead of branched on; random data would mispredict half the branches, and
   * this is ~2.5× faster on 384 channels) and a median-of-three pivot. Returns the k-th smallest
   * value of a[0..n) and leaves a[0..k) <= a[k]. The values must not be NaN.
   */
  static float select(float[] a, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    while (hi - lo > 16) {
      final float x = a[lo];
      final float y = a[(lo + hi) >>> 1];
      final float z = a[hi];
      final float p = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
      int j = lo; // a[lo..j) < p <= a[j..i)
      for (int i = lo; i <= hi; i++) {
        final float v = a[i];
        a[i] = a[j];
        a[j] = v;
        j += v < p ? 1 : 0;
      }
      if (k < j) {
        hi = j - 1; // j <= hi because p itself is not < p
        continue;
      }
      if (j == lo) {
        // p is the range's minimum: split off the values equal to it so the range shrinks
        for (int i = lo; i <= hi; i++) {
          final float v = a[i];
          a[i] = a[j];
          a[j] = v;
          j += v <= p ? 1 : 0;
        }
        if (k < j) {
          return p;
        }
      }
      lo = j;
    }
    for (int i = lo + 1; i <= hi; i++) { // insertion sort of the small remainder
      final float v = a[i];
      int j = i - 1;
      while (j >= lo && a[j] > v) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
    return a[k];
  }
}
