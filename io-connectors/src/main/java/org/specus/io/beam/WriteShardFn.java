package org.specus.io.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.specus.io.sink.SampleEncoding;
import org.specus.io.zarr.ShardCheck;
import org.specus.io.zarr.ShardWriter;
import org.specus.io.zarr.ShardedArrayLayout;
import org.specus.io.zarr.ZarrDataType;

/**
 * Reads one tile with its margins, runs the chain, and writes the tile as one shard; or, when the
 * shard is already there and intact, keeps it without reading or computing anything.
 *
 * <p>Keeping a shard is safe because the output directory was claimed for this very result (same
 * configuration, input and version: {@code OutputStore.prepare} refuses or clears anything else)
 * and the result is deterministic, so a shard from an interrupted run holds the bytes this run
 * would write.
 */
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
    if (ShardCheck.isIntact(layout.tracesPath(), zarrLayout, tile.index())) {
      long size = layout.tracesPath().resolve(zarrLayout.shardKey(tile.index())).toFile().length();
      c.output(new TileReport(tile.index(), zarrLayout.rowsInShard(tile.index()), size, System.nanoTime() - t0, true));
      return;
    }
    SignalBlock block = chain.execute(recording, tile.start(), tile.end(), new DoFnSideInputs(c), buffers);
    long bytes;
    try {
      // No fsync per shard: CommitFn makes every shard durable once, before the completion marker
      // (see ShardWriter and DurableShards for why that ordering is enough).
      bytes = layout.dtype() == ZarrDataType.INT16
          ? ShardWriter.writeShard(layout.tracesPath(), zarrLayout, tile.index(),
              toInt16(block.data(), block.rows() * block.cols()), block.rows(), false)
          : ShardWriter.writeShard(layout.tracesPath(), zarrLayout, tile.index(), block.data(), block.rows(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(layout.tracesPath() + ": cannot write shard " + tile.index(), e);
    }
    c.output(new TileReport(tile.index(), block.rows(), bytes, System.nanoTime() - t0, false));
  }

  static short[] toInt16(float[] data, int n) {
    short[] out = new short[n];
    for (int i = 0; i < n; i++) {
      out[i] = SampleEncoding.toInt16(data[i]);
    }
    return out;
  }
}
