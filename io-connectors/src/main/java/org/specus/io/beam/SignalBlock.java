package org.specus.io.beam;

/**
 * Samples {@code [firstSample, firstSample + rows)} of all processed channels, sample-major float32,
 * as the ops of a chain transform them in place.
 */
public final class SignalBlock {
  private float[] data;
  private float[] spare;
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

  /**
   * A block over {@code data} with a second buffer, {@code spare}, for ops that cannot work in
   * place ({@link #spare()}); {@code spare} may be {@code null} or too small, it is then replaced.
   */
  public SignalBlock(float[] data, float[] spare, int rows, int cols, long firstSample) {
    this(data, rows, cols, firstSample);
    this.spare = spare;
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
    if (newData == spare) {
      spare = data; // swap: the old samples' buffer is the next spare
    }
    this.data = newData;
  }

  /**
   * Replaces the samples with {@code newData}, which holds samples {@code [from, to)} of this block
   * from its start: what an op that both transforms and crops leaves.
   */
  public void replace(float[] newData, long from, long to) {
    if (from < firstSample || to > endSample() || to < from) {
      throw new IllegalArgumentException(
          "cannot replace [" + firstSample + ", " + endSample() + ") with [" + from + ", " + to + ")");
    }
    rows = Math.toIntExact(to - from);
    firstSample = from;
    replace(newData);
  }

  /**
   * A buffer of at least {@code rows × cols} floats, not {@link #data()}, that an op may fill and
   * then pass to {@link #replace}: with a pooled block ({@link TileBuffers}) it is reused from tile
   * to tile instead of allocating a tile-sized array per op.
   */
  public float[] spare() {
    int n = Math.multiplyExact(rows, cols);
    if (spare == null || spare.length < n || spare == data) {
      spare = new float[Math.max(n, data.length)]; // as large as data, so the two can swap roles
    }
    return spare;
  }

  /** The spare buffer if one exists (for {@link TileBuffers} to keep), else {@code null}. */
  float[] spareOrNull() {
    return spare;
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
