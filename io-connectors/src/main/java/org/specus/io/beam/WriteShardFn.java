package org.specus.io.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.specus.io.zarr.ShardWriter;
import org.specus.io.zarr.ShardedArrayLayout;

/** Reads one tile with its margins, runs the chain, and writes the tile as one shard. */
final class WriteShardFn extends DoFn<Tile, TileReport> {
  private final RecordingInfo recording;
  private final OpChain chain;
  private final TracesLayout layout;
  private transient ShardedArrayLayout zarrLayout;
  private transient TileBuffers buffers;

  WriteShardFn(RecordingInfo recording, OpChain chain, TracesLayout layout) {
    this.recording = recording;
    this.chain = chain;
    this.layout = layout;
  }

  @Setup
  public void setup() {
    zarrLayout = layout.zarrLayout();
    buffers = new TileBuffers("main");
  }

  @ProcessElement
  public void process(ProcessContext c) {
    Tile tile = c.element();
    long t0 = System.nanoTime();
    SignalBlock block = chain.execute(recording, tile.start(), tile.end(), new DoFnSideInputs(c), buffers);
    long bytes;
    try {
      // No fsync per shard: CommitFn makes every shard durable once, before the completion marker
      // (see ShardWriter and DurableShards for why that ordering is enough).
      bytes = ShardWriter.writeShard(layout.tracesPath(), zarrLayout, tile.index(), block.data(), block.rows(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(layout.tracesPath() + ": cannot write shard " + tile.index(), e);
    }
    c.output(new TileReport(tile.index(), block.rows(), bytes, System.nanoTime() - t0));
  }
}
