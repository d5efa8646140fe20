package org.specus.io.beam;

import java.util.List;
import org.specus.io.StageTimes;

/**
 * Runs one op of a chain and the {@link RowOp}s right after it together: as the first op finishes
 * rows ({@link TileOp#apply(SignalBlock, SideInputs, RowRuns)}), each run of them goes through
 * every row op at once, and the kept rows land cropped in the block's spare buffer, which becomes
 * the block. When every row op works in place (the statistics pass: filter, then median), the
 * rows stay where they are and the block is cropped at the end, so no spare buffer is needed:
 * a spare per worker would be another tile-sized array held for the run.
 *
 * <p>Why: run one after the other, each op streams the whole tile (~50 MB for 384 channels)
 * through memory, and the crop after the filter moves it once more. A run of {@value #RUN_ROWS}
 * rows is still in L2 when the median reference and the whitening product reach it: ~15 ms less
 * CPU per 1 s tile of the default chain on one thread (KernelTimes: {@code chainInTurn} against
 * {@code chainFused}), 6–9 ms in the pipeline, where three tiles share two cores (bench/README).
 * The results are the same bits, as every op works row by row.
 */
final class FusedRowOps implements RowRuns.Consumer {
  /** Rows per run: 6 × the filter's 32-row chunks, ~300 KB for 384 channels. */
  static final int RUN_ROWS = 192;

  private final SignalBlock block;
  private final List<RowOp> rowOps;
  private final int keepFrom;
  private final boolean timed;
  private final boolean allInPlace;
  private final long[] wall;
  private final long[] cpu;
  private float[] out;

  private FusedRowOps(SignalBlock block, List<RowOp> rowOps, int keepFrom, boolean timed) {
    this.block = block;
    this.rowOps = rowOps;
    this.keepFrom = keepFrom;
    this.timed = timed;
    this.allInPlace = rowOps.stream().allMatch(RowOp::inPlace);
    this.wall = new long[rowOps.size()];
    this.cpu = new long[rowOps.size()];
  }

  /**
   * Applies {@code head} then {@code rowOps} (the row forms of the ops {@code following} it) to {@code block},
   * which is left holding samples {@code [keepFrom, keepTo)}. With a {@code phase}, each op's time
   * is added to {@link StageTimes} as {@code phase.name}, the first op's being what the row ops
   * did not use.
   */
  static void run(TileOp head, List<TileOp> following, List<RowOp> rowOps, SignalBlock block,
      SideInputs sideInputs, long keepFrom, long keepTo, String phase) {
    StageTimes.Mark start = phase != null ? StageTimes.mark() : null;
    int from = Math.toIntExact(keepFrom - block.firstSample());
    int to = Math.toIntExact(keepTo - block.firstSample());
    FusedRowOps fused = new FusedRowOps(block, rowOps, from, phase != null);
    RowRuns runs = new RowRuns(from, to, RUN_ROWS, fused);
    head.apply(block, sideInputs, runs);
    runs.finish();
    if (fused.allInPlace) {
      block.crop(keepFrom, keepTo);
    } else {
      block.replace(fused.output(), keepFrom, keepTo);
    }
    if (phase != null) {
      StageTimes.Mark end = StageTimes.mark();
      long headWall = end.wall() - start.wall();
      long headCpu = end.cpu() - start.cpu();
      for (int i = 0; i < rowOps.size(); i++) {
        StageTimes.add(phase + "." + following.get(i).name(), fused.wall[i], fused.cpu[i]);
        headWall -= fused.wall[i];
        headCpu -= fused.cpu[i];
      }
      StageTimes.add(phase + "." + head.name(), headWall, headCpu);
    }
  }

  /** The cropped rows: the block's spare buffer, taken once the first op has settled its buffers. */
  private float[] output() {
    if (out == null) {
      out = block.spare();
    }
    return out;
  }

  @Override
  public void run(int from, int to) {
    float[] data = block.data();
    float[] dst = allInPlace ? data : output();
    int n = to - from;
    boolean inData = true; // where the run's rows are now: data at from, or the output at from - keepFrom
    StageTimes.Mark t = timed ? StageTimes.mark() : null;
    for (int i = 0; i < rowOps.size(); i++) {
      RowOp op = rowOps.get(i);
      if (op.inPlace()) {
        int row = inData ? from : from - keepFrom;
        float[] buf = inData ? data : dst;
        op.apply(buf, row, buf, row, n);
      } else if (inData) {
        op.apply(data, from, dst, from - keepFrom, n);
        inData = false;
      } else {
        op.apply(dst, from - keepFrom, data, from, n);
        inData = true;
      }
      if (timed) {
        StageTimes.Mark now = StageTimes.mark();
        wall[i] += now.wall() - t.wall();
        cpu[i] += now.cpu() - t.cpu();
        t = now;
      }
    }
    if (inData && !allInPlace) {
      System.arraycopy(data, from * block.cols(), dst, (from - keepFrom) * block.cols(), n * block.cols());
    }
  }
}
