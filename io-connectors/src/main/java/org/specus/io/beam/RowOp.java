package org.specus.io.beam;

/**
 * A {@link TileOp} seen row by row: each output sample (row) depends on the same input sample
 * alone, so the chain may run it on a few hundred rows at a time, right after the op before it has
 * finished them and while they are still in cache ({@link OpChain}). One instance per tile and
 * thread: it may keep state from one run of rows to the next.
 */
public interface RowOp {
  /**
   * Transforms rows {@code [srcRow, srcRow + rows)} of {@code src} into rows
   * {@code [dstRow, dstRow + rows)} of {@code dst}. When {@link #inPlace()}, {@code dst} is
   * {@code src} and {@code dstRow} is {@code srcRow}; otherwise they are different arrays, and the
   * op may overwrite its source rows.
   */
  void apply(float[] src, int srcRow, float[] dst, int dstRow, int rows);

  /** Whether the op transforms rows where they are. */
  boolean inPlace();

  /** Transforms rows {@code [from, to)} of {@code x} where they are. */
  @FunctionalInterface
  interface RowsInPlace {
    void apply(float[] x, int from, int to);
  }

  /** An op that works in place. */
  static RowOp inPlace(RowsInPlace op) {
    return new RowOp() {
      @Override
      public void apply(float[] src, int srcRow, float[] dst, int dstRow, int rows) {
        op.apply(src, srcRow, srcRow + rows);
      }

      @Override
      public boolean inPlace() {
        return true;
      }
    };
  }
}
