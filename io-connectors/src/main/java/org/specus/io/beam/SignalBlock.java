package org.specus.io.beam;

/**
 * Samples {@code [firstSample, firstSample + rows)} of all processed channels, sample-major float32,
 * as the ops of a chain transform them in place.
 */
public final class SignalBlock {
  private float[] data;
  private int rows;
  private final int cols;
  private long firstSample;

  public SignalBlock(float[] data, int rows, int cols, long firstSample) {
    if (data.length < (long) rows * cols) {
      throw new IllegalArgumentException("block buffer too small for " + rows + " x " + cols);
    }
    this.data = data;
    this.rows = rows;
    this.cols = cols;
    this.firstSample = firstSample;
  }

  public float[] data() {
    return data;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public long firstSample() {
    return firstSample;
  }

  public long endSample() {
    return firstSample + rows;
  }

  /** Replaces the samples, e.g. with the output of an op that cannot work in place. */
  public void replace(float[] newData) {
    if (newData.length < (long) rows * cols) {
      throw new IllegalArgumentException("replacement buffer too small");
    }
    this.data = newData;
  }

  /**
   * Keeps only samples {@code [from, to)} (absolute sample indices within this block), moving them
   * to the start of the buffer; the buffer is reused, not reallocated.
   */
  public void crop(long from, long to) {
    if (from < firstSample || to > endSample() || to < from) {
      throw new IllegalArgumentException(
          "cannot crop [" + firstSample + ", " + endSample() + ") to [" + from + ", " + to + ")");
    }
    int skip = Math.toIntExact(from - firstSample);
    int keep = Math.toIntExact(to - from);
    if (skip > 0) {
      System.arraycopy(data, skip * cols, data, 0, keep * cols);
    }
    rows = keep;
    firstSample = from;
  }
}
