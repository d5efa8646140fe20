package org.specus.io.beam;

/**
 * Gathers rows that become final in small chunks (a filter's last pass finishes 32 rows at a time,
 * from the block's end back to its start) into runs of consecutive rows inside
 * {@code [keepFrom, keepTo)}, and hands each run on once it has at least {@code runRows} rows, or
 * when a chunk does not continue it, or at {@link #finish}; a chunk of more than twice
 * {@code runRows} (all rows of a block at once) is handed on in pieces. Rows outside the kept span
 * (the margins) are dropped.
 *
 * <p>Why runs rather than chunks: what follows (the median reference, the whitening product) is
 * faster on a few hundred rows at once, and a run of that size (~300 KB for 384 channels) is
 * still in the core's L2 cache when it is handed on.
 */
public final class RowRuns {
  /** What to do with a run of rows {@code [from, to)}. */
  @FunctionalInterface
  public interface Consumer {
    void run(int from, int to);
  }

  private final int keepFrom;
  private final int keepTo;
  private final int runRows;
  private final Consumer consumer;
  private int from;
  private int to; // pending run [from, to); empty when from == to

  public RowRuns(int keepFrom, int keepTo, int runRows, Consumer consumer) {
    if (keepFrom > keepTo || runRows < 1) {
      throw new IllegalArgumentException("need keepFrom <= keepTo and runRows >= 1, got [" + keepFrom
          + ", " + keepTo + ") and " + runRows);
    }
    this.keepFrom = keepFrom;
    this.keepTo = keepTo;
    this.runRows = runRows;
    this.consumer = consumer;
  }

  /** Rows {@code [a, b)} are final. */
  public void rows(int a, int b) {
    a = Math.max(a, keepFrom);
    b = Math.min(b, keepTo);
    if (a >= b) {
      return;
    }
    if (from == to) {
      from = a;
      to = b;
    } else if (b == from) {
      from = a;
    } else if (a == to) {
      to = b;
    } else {
      finish();
      from = a;
      to = b;
    }
    if (to - from >= runRows) {
      finish();
    }
  }

  /** Hands on what is pending, a long run (more than twice {@code runRows}) in pieces. */
  public void finish() {
    while (from < to) {
      int a = from;
      from = to - a > 2 * runRows ? a + runRows : to;
      consumer.run(a, from);
    }
  }
}
