package org.specus.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.specus.io.beam.DoFnSideInputs;
import org.specus.io.beam.OpChain;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.Tile;

/** Runs the chain up to the whitening on one statistics chunk and sums each channel. */
final class PartialSumFn extends DoFn<Tile, KV<Long, ChannelSum>> {
  private final RecordingInfo recording;
  private final OpChain chain;

  PartialSumFn(RecordingInfo recording, OpChain chain) {
    this.recording = recording;
    this.chain = chain;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    Tile chunk = c.element();
    SignalBlock block = chain.execute(recording, chunk.start(), chunk.end(), new DoFnSideInputs(c));
    c.output(KV.of(chunk.index(), ChannelSum.of(block.data(), block.rows(), block.cols())));
  }
}
