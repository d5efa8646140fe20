package org.specus.io.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.jupiter.api.Test;
import org.specus.io.StageTimes;

/**
 * A chain whose row ops run fused with the op before them gives exactly what running the ops one
 * after the other and cropping gives, for heads that finish rows as they go (like a filter) or all
 * at the end, row ops in place or not, in any mix.
 */
class FusedRowOpsTest {
  private static final int COLS = 5;

  private static final SideInputs NONE = new SideInputs() {
    @Override
    public <T> T get(PCollectionView<T> view) {
      throw new AssertionError("no side inputs here");
    }
  };

  /** A head with a margin: x → x·2 + (sample index), told in chunks of 7 from the end back. */
  private record Head(int margin, boolean tellsAsItGoes) implements TileOp {
    @Override
    public String name() {
      return "head";
    }

    @Override
    public int marginSamples() {
      return margin;
    }

    @Override
    public void apply(SignalBlock block, SideInputs sideInputs) {
      apply(block, sideInputs, new RowRuns(0, block.rows(), 1, (a, b) -> { }));
    }

    @Override
    public void apply(SignalBlock block, SideInputs sideInputs, RowRuns done) {
      if (!tellsAsItGoes) {
        float[] out = block.spare(); // as ops that cannot work in place do
        for (int i = 0; i < block.rows() * COLS; i++) {
          out[i] = block.data()[i] * 2 + block.firstSample() + i / COLS;
        }
        block.replace(out);
        done.rows(0, block.rows());
        return;
      }
      float[] x = block.data();
      for (int end = block.rows(); end > 0; end -= 7) {
        int start = Math.max(0, end - 7);
        for (int i = start * COLS; i < end * COLS; i++) {
          x[i] = x[i] * 2 + block.firstSample() + i / COLS;
        }
        done.rows(start, end);
      }
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of();
    }
  }

  /** A row op: in place, x → x − (row's first value), or not, y = 3x + channel. */
  private record Row(boolean inPlace) implements TileOp {
    @Override
    public String name() {
      return inPlace ? "minus_first" : "affine";
    }

    @Override
    public int marginSamples() {
      return 0;
    }

    @Override
    public void apply(SignalBlock block, SideInputs sideInputs) {
      float[] out = inPlace ? block.data() : block.spare();
      rowOp(sideInputs, COLS).apply(block.data(), 0, out, 0, block.rows());
      block.replace(out);
    }

    @Override
    public RowOp rowOp(SideInputs sideInputs, int cols) {
      if (inPlace) {
        return RowOp.inPlace((x, from, to) -> {
          for (int t = from; t < to; t++) {
            float first = x[t * cols];
            for (int c = 0; c < cols; c++) {
              x[t * cols + c] -= first;
            }
          }
        });
      }
      return new RowOp() {
        @Override
        public void apply(float[] src, int srcRow, float[] dst, int dstRow, int rows) {
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              dst[(dstRow + r) * cols + c] = 3 * src[(srcRow + r) * cols + c] + c;
            }
          }
        }

        @Override
        public boolean inPlace() {
          return false;
        }
      };
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of();
    }
  }

  /** The ops one after the other, cropping after each: what the chain did before fusing. */
  private static float[] inTurn(List<TileOp> ops, SignalBlock block, long start, long end) {
    int remaining = ops.stream().mapToInt(TileOp::marginSamples).sum();
    for (TileOp op : ops) {
      op.apply(block, NONE);
      remaining -= op.marginSamples();
      block.crop(Math.max(block.firstSample(), start - remaining), Math.min(block.endSample(), end + remaining));
    }
    return Arrays.copyOf(block.data(), block.rows() * COLS);
  }

  private static SignalBlock block(long from, int rows) {
    float[] x = new float[rows * COLS];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.37 + from) * 100;
    }
    return new SignalBlock(x, rows, COLS, from);
  }

  private static void check(List<TileOp> ops, long from, int rows, long start, long end) {
    OpChain chain = OpChain.empty();
    for (TileOp op : ops) {
      chain = chain.then(op);
    }
    float[] expected = inTurn(ops, block(from, rows), start, end);
    SignalBlock fused = chain.run(block(from, rows), start, end, NONE, null);
    assertEquals(start, fused.firstSample());
    assertEquals(end - start, fused.rows());
    assertArrayEquals(expected, Arrays.copyOf(fused.data(), fused.rows() * COLS), ops.toString());
  }

  @Test
  void fusedRowOpsGiveWhatRunningTheOpsInTurnGives() {
    for (boolean asItGoes : new boolean[] {true, false}) {
      Head head = new Head(40, asItGoes);
      // a tile of 500 samples from 1000 with its margins of 40; and one at the recording's start
      for (long[] span : new long[][] {{960, 580, 1000, 1500}, {0, 540, 0, 500}}) {
        for (List<TileOp> ops : List.of(
            List.<TileOp>of(head, new Row(true)),
            List.<TileOp>of(head, new Row(false)),
            List.<TileOp>of(head, new Row(true), new Row(false)),
            List.<TileOp>of(head, new Row(false), new Row(false)),
            List.<TileOp>of(head, new Row(false), new Row(true), new Row(false), new Row(true)),
            List.<TileOp>of(new Row(true), head, new Row(false)))) {
          check(ops, span[0], (int) span[1], span[2], span[3]);
        }
      }
    }
  }

  @Test
  void eachFusedOpKeepsItsOwnStageTime() {
    StageTimes.reset();
    OpChain chain = OpChain.empty().then(new Head(40, true)).then(new Row(true)).then(new Row(false));
    chain.run(block(960, 580), 1000, 1500, NONE, "fusedtest");
    Map<String, double[]> times = StageTimes.snapshot();
    for (String stage : List.of("fusedtest.head", "fusedtest.minus_first", "fusedtest.affine")) {
      assertEquals(1.0, times.get(stage)[2], stage + " counted once per tile");
    }
  }
}
