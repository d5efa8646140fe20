package org.specus.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.dsp.CovarianceAccumulator;
import org.specus.io.StageTimes;
import org.specus.io.beam.DoFnSideInputs;
import org.specus.io.beam.OpChain;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.Tile;
import org.specus.io.beam.TileBuffers;

/**
 * Runs the chain up to the whitening on one statistics chunk and sums its {@code XᵀX}; with a
 * mean side input, of {@code (X − μ)ᵀ(X − μ)} (the subtraction in float32, as the data).
 */
final class PartialCovarianceFn extends DoFn<Tile, KV<Long, CovarianceAccumulator>> {
  private final RecordingInfo recording;
  private final OpChain chain;
  private final PCollectionView<float[]> mean;
  private transient TileBuffers buffers;

  PartialCovarianceFn(RecordingInfo recording, OpChain chain, PCollectionView<float[]> mean) {
    this.recording = recording;
    this.chain = chain;
    this.mean = mean;
  }

  /**
   * Buffers per bundle, not per instance: the DirectRunner keeps this pass's instances until the
   * whole pipeline ends, and their chunk-sized arrays (~27 MB each for 384 channels) held ~80 MB of
   * the heap all through the main pass. A bundle is four chunks ({@code Whiten.CHUNKS_PER_BUNDLE}).
   */
  @StartBundle
  public void startBundle() {
    buffers = new TileBuffers("statistics");
  }

  @FinishBundle
  public void finishBundle() {
    buffers = null;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    Tile chunk = c.element();
    SignalBlock block = chain.execute(recording, chunk.start(), chunk.end(), new DoFnSideInputs(c), buffers);
    if (mean != null) {
      subtract(block.data(), block.rows(), block.cols(), c.sideInput(mean));
    }
    StageTimes.Mark t0 = StageTimes.mark();
    CovarianceAccumulator acc = new CovarianceAccumulator(block.cols());
    acc.add(block.data(), block.rows(), block.cols());
    StageTimes.lap("statistics.covariance", t0);
    c.output(KV.of(chunk.index(), acc));
  }

  static void subtract(float[] data, int rows, int cols, float[] mu) {
    subtract(data, 0, rows, cols, mu);
  }

  /** {@link #subtract(float[], int, int, float[])} on rows {@code from..to}. */
  static void subtract(float[] data, int from, int to, int cols, float[] mu) {
    for (int t = from; t < to; t++) {
      int off = t * cols;
      for (int ch = 0; ch < cols; ch++) {
        data[off + ch] -= mu[ch];
      }
    }
  }
}
