package org.specus.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.specus.dsp.BadChannels;
import org.specus.io.beam.DoFnSideInputs;
import org.specus.io.beam.OpChain;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.Tile;

/** Runs the chain on one statistics chunk and labels its channels (µV, depth order as SpikeInterface). */
final class ChunkLabelsFn extends DoFn<Tile, KV<Long, int[]>> {
  private final RecordingInfo recording;
  private final OpChain chain;
  private final BadChannels.Params params;

  ChunkLabelsFn(RecordingInfo recording, OpChain chain, BadChannels.Params params) {
    this.recording = recording;
    this.chain = chain;
    this.params = params;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    Tile chunk = c.element();
    c.output(KV.of(chunk.index(), labels(recording, chain, params, chunk, new DoFnSideInputs(c))));
  }

  /** Labels of one chunk in channel order. */
  static int[] labels(RecordingInfo rec, OpChain chain, BadChannels.Params params, Tile chunk, SideInputs sides) {
    SignalBlock block = chain.execute(rec, chunk.start(), chunk.end(), sides);
    int rows = block.rows();
    int cols = block.cols();
    int[] order = rec.locations() == null ? identity(cols) : BadChannels.depthOrder(rec.locations());
    double[] gain = rec.gainToUv();
    float[] data = block.data();
    float[] sorted = new float[rows * cols];
    for (int t = 0; t < rows; t++) {
      for (int i = 0; i < cols; i++) {
        sorted[t * cols + i] = (float) (data[t * cols + order[i]] * gain[order[i]]);
      }
    }
    int[] byDepth = BadChannels.labels(sorted, rows, cols, rec.samplingRate(), params);
    int[] labels = new int[cols];
    for (int i = 0; i < cols; i++) {
      labels[order[i]] = byDepth[i];
    }
    return labels;
  }

  private static int[] identity(int n) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    return o;
  }
}
