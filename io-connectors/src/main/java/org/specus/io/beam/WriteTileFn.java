package org.specus.io.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.specus.io.sink.TileWriter;

/** Reads one tile with its margins, runs the chain, and hands the tile to the format's writer. */
final class WriteTileFn extends DoFn<Tile, TileReport> {
  private final RecordingInfo recording;
  private final OpChain chain;
  private final TileWriter writer;

  WriteTileFn(RecordingInfo recording, OpChain chain, TileWriter writer) {
    this.recording = recording;
    this.chain = chain;
    this.writer = writer;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    Tile tile = c.element();
    long t0 = System.nanoTime();
    SignalBlock block = chain.execute(recording, tile.start(), tile.end(), new DoFnSideInputs(c));
    long bytes;
    try {
      bytes = writer.write(tile.index(), block.firstSample(), block.data(), block.rows());
    } catch (IOException e) {
      throw new UncheckedIOException(writer.root() + ": cannot write tile " + tile.index(), e);
    }
    c.output(new TileReport(tile.index(), block.rows(), bytes, System.nanoTime() - t0, false));
  }
}
