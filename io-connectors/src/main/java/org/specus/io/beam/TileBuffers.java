package org.specus.io.beam;

/**
 * The tile-sized arrays one DoFn instance reuses from tile to tile: the block's samples and its
 * spare (for ops that cannot work in place, see {@link SignalBlock#spare()}). A DoFn instance
 * processes one element at a time, so its buffers are never shared between threads; keeping them
 * per instance (not per thread) lets them go away with the instance. Steady-state memory is two
 * tile blocks (with margins) per worker thread, and the hot path allocates nothing tile-sized,
 * which keeps G1 from churning through humongous regions.
 *
 * <p>{@code phase} names the pass in {@link org.specus.io.StageTimes}, e.g. {@code "main"}.
 */
public final class TileBuffers {
  private final String phase;
  private float[] data;
  private float[] spare;
  private SignalBlock last;

  public TileBuffers(String phase) {
    this.phase = phase;
  }

  public String phase() {
    return phase;
  }

  /** A block over the pooled arrays, grown when a tile needs more; the previous block becomes invalid. */
  SignalBlock block(int rows, int cols, long firstSample) {
    if (last != null) { // ops may have swapped data and spare: keep whichever arrays it holds now
      data = last.data();
      spare = last.spareOrNull();
      last = null;
    }
    int n = Math.multiplyExact(rows, cols);
    if ((data == null || data.length < n) && spare != null && spare.length >= n) {
      float[] t = data;
      data = spare;
      spare = t;
    }
    if (data == null || data.length < n) {
      data = new float[n];
    }
    last = new SignalBlock(data, spare, rows, cols, firstSample);
    return last;
  }
}
