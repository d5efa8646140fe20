package org.specus.io.beam;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.io.Recording;
import org.specus.io.StageTimes;

/**
 * The ordered ops a tile goes through, and the one place that knows how to read a span with the
 * margins the chain needs and crop it back: every op sees real neighbouring samples, so the output
 * does not depend on where tiles are cut.
 */
public final class OpChain implements Serializable {
  private final List<TileOp> ops;

  private OpChain(List<TileOp> ops) {
    this.ops = Collections.unmodifiableList(ops);
  }

  public static OpChain empty() {
    return new OpChain(List.of());
  }

  public OpChain then(TileOp op) {
    List<TileOp> next = new ArrayList<>(ops);
    next.add(op);
    return new OpChain(next);
  }

  public List<TileOp> ops() {
    return ops;
  }

  /** Total margin: how far beyond a tile the chain must read. */
  public int marginSamples() {
    return ops.stream().mapToInt(TileOp::marginSamples).sum();
  }

  public List<PCollectionView<?>> sideInputs() {
    LinkedHashSet<PCollectionView<?>> views = new LinkedHashSet<>();
    ops.forEach(op -> views.addAll(op.sideInputs()));
    return List.copyOf(views);
  }

  public List<Map<String, Object>> describe() {
    return ops.stream().map(TileOp::describe).toList();
  }

  /**
   * Reads {@code [start, end)} of {@code info}'s recording with margins, runs every op and returns
   * exactly {@code [start, end)}. After op k the block is cropped to what the remaining ops need, so
   * pointwise ops at the end of the chain do no work on margins. Row ops ({@link TileOp#rowOp})
   * right after an op run with it, a few hundred rows at a time as it finishes them
   * ({@link FusedRowOps}).
   */
  public SignalBlock execute(RecordingInfo info, long start, long end, SideInputs sideInputs) {
    return execute(info, start, end, sideInputs, null);
  }

  /**
   * As {@link #execute(RecordingInfo, long, long, SideInputs)}, with the block's buffers taken from
   * {@code buffers} (reused from tile to tile by one DoFn instance, so the hot path allocates no
   * tile-sized arrays) and the time of each stage added to {@link StageTimes} under the buffers'
   * phase. The returned block is only valid until the next call with the same buffers.
   * {@code buffers} may be {@code null}: fresh arrays, no timing.
   */
  public SignalBlock execute(RecordingInfo info, long start, long end, SideInputs sideInputs,
      TileBuffers buffers) {
    Recording recording = OpenRecordings.get(info);
    int cols = info.numChannels();
    int remaining = marginSamples();
    long from = Math.max(0, start - remaining);
    long to = Math.min(info.numSamples(), end + remaining);
    int rows = Math.toIntExact(to - from);
    StageTimes.Mark t = buffers != null ? StageTimes.mark() : null;
    SignalBlock block = buffers != null
        ? buffers.block(rows, cols, from)
        : new SignalBlock(new float[Math.multiplyExact(rows, cols)], rows, cols, from);
    try {
      recording.readFloat(from, to, block.data());
    } catch (IOException e) {
      throw new UncheckedIOException(info.path() + ": cannot read samples " + from + "-" + to, e);
    }
    if (buffers != null) {
      StageTimes.lap(buffers.phase() + ".read", t);
    }
    return run(block, start, end, sideInputs, buffers != null ? buffers.phase() : null);
  }

  /**
   * Runs every op on {@code block}, which holds {@code [start, end)} with the chain's margins
   * (fewer at the recording's edges), and leaves it holding exactly {@code [start, end)}: what
   * {@link #execute} does once it has read the block. With a {@code phase}, each op's time is added
   * to {@link StageTimes} as {@code phase.name}.
   */
  public SignalBlock run(SignalBlock block, long start, long end, SideInputs sideInputs, String phase) {
    int remaining = marginSamples();
    StageTimes.Mark t = phase != null ? StageTimes.mark() : null;
    for (int k = 0; k < ops.size(); k++) {
      TileOp op = ops.get(k);
      remaining -= op.marginSamples();
      long keepFrom = Math.max(block.firstSample(), start - remaining);
      long keepTo = Math.min(block.endSample(), end + remaining);
      List<RowOp> rowOps = new ArrayList<>();
      while (k + 1 + rowOps.size() < ops.size()) {
        RowOp r = ops.get(k + 1 + rowOps.size()).rowOp(sideInputs, block.cols());
        if (r == null) {
          break;
        }
        rowOps.add(r);
      }
      if (rowOps.isEmpty()) {
        op.apply(block, sideInputs);
        block.crop(keepFrom, keepTo);
        if (phase != null) {
          t = StageTimes.lap(phase + "." + op.name(), t);
        }
      } else {
        List<TileOp> following = ops.subList(k + 1, k + 1 + rowOps.size());
        FusedRowOps.run(op, following, rowOps, block, sideInputs, keepFrom, keepTo, phase);
        k += rowOps.size();
        t = phase != null ? StageTimes.mark() : null;
      }
    }
    return block;
  }
}
