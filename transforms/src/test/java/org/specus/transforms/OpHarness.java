package org.specus.transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.io.beam.OpChain;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.Tile;
import org.specus.io.beam.TileOp;
import org.specus.io.beam.Tiles;

/**
 * Runs transforms' tile ops on in-memory data as {@link OpChain#execute} runs them on a recording:
 * each tile is taken with the chain's summed margins (clipped at the recording's edges) and goes
 * through {@link OpChain#run}, which runs the ops (row ops fused with the op before them) and
 * crops. So a test can compare a tiled run with a whole-array reference without files or a runner.
 */
final class OpHarness {
  private OpHarness() {}

  static RecordingInfo info(int rows, int cols, double[][] xy, int[] groups, double[] shifts) {
    return info(30000.0, rows, cols, xy, groups, shifts);
  }

  static RecordingInfo info(double fs, int rows, int cols, double[][] xy, int[] groups, double[] shifts) {
    List<String> ids = new ArrayList<>();
    for (int c = 0; c < cols; c++) {
      ids.add("AP" + c);
    }
    double[] gains = new double[cols];
    Arrays.fill(gains, 1.0);
    return new RecordingInfo("/memory/test.ap.bin", "test", fs, rows, cols, ids, gains, xy, "fp",
        groups == null ? new int[cols] : groups, shifts, org.specus.io.ReaderOptions.auto());
  }

  /** The ops a transform appends, built against {@code info} (the pipeline never runs). */
  static List<TileOp> ops(RecordingInfo info, List<PTransform<Tiles, Tiles>> transforms) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    Tiles tiles = new Tiles(p.apply(Create.empty(SerializableCoder.of(Tile.class))), info, 30000, OpChain.empty());
    for (PTransform<Tiles, Tiles> t : transforms) {
      tiles = tiles.apply(t);
    }
    return tiles.chain().ops();
  }

  /** Runs {@code ops} over {@code x} (rows × cols) in tiles of {@code tile} samples. */
  static float[] run(List<TileOp> ops, float[] x, int rows, int cols, int tile, SideInputs sides) {
    OpChain chain = OpChain.empty();
    for (TileOp op : ops) {
      chain = chain.then(op);
    }
    OpChain c = chain;
    return tiled(x, rows, cols, tile, chain.marginSamples(), (block, start, end) -> c.run(block, start, end, sides, null));
  }

  /**
   * As {@link #run}, but every op over the whole block in turn, cropping after each, as the chain
   * ran before row ops were fused with the op before them: the reference for the fused chain.
   */
  static float[] runInTurn(List<TileOp> ops, float[] x, int rows, int cols, int tile, SideInputs sides) {
    int margin = ops.stream().mapToInt(TileOp::marginSamples).sum();
    return tiled(x, rows, cols, tile, margin, (block, start, end) -> {
      int remaining = margin;
      for (TileOp op : ops) {
        op.apply(block, sides);
        remaining -= op.marginSamples();
        block.crop(Math.max(block.firstSample(), start - remaining), Math.min(block.endSample(), end + remaining));
      }
    });
  }

  /** What runs on one tile's block, which holds [start, end) with margins, leaving exactly [start, end). */
  private interface TileRun {
    void run(SignalBlock block, long start, long end);
  }

  private static float[] tiled(float[] x, int rows, int cols, int tile, int margin, TileRun run) {
    float[] out = new float[rows * cols];
    for (int start = 0; start < rows; start += tile) {
      int end = Math.min(rows, start + tile);
      int from = Math.max(0, start - margin);
      int to = Math.min(rows, end + margin);
      SignalBlock block = new SignalBlock(Arrays.copyOfRange(x, from * cols, to * cols), to - from, cols, from);
      run.run(block, start, end);
      System.arraycopy(block.data(), 0, out, start * cols, (end - start) * cols);
    }
    return out;
  }

  /** Side inputs from a map of view to value. */
  static SideInputs sides(Map<PCollectionView<?>, Object> values) {
    return new SideInputs() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T get(PCollectionView<T> view) {
        if (!values.containsKey(view)) {
          throw new IllegalStateException("no value for side input " + view);
        }
        return (T) values.get(view);
      }
    };
  }

  /** rms(a − b) / rms(b). */
  static double rmsRel(float[] a, float[] b) {
    double e = 0;
    double s = 0;
    for (int i = 0; i < b.length; i++) {
      double d = (double) a[i] - b[i];
      e += d * d;
      s += (double) b[i] * b[i];
    }
    return Math.sqrt(e / s);
  }

  /** max |a − b| / rms(b). */
  static double maxRel(float[] a, float[] b) {
    double m = 0;
    double s = 0;
    for (int i = 0; i < b.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
      s += (double) b[i] * b[i];
    }
    return m / Math.sqrt(s / b.length);
  }
}
