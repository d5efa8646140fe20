package org.specus.io.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import org.apache.beam.sdk.transforms.DoFn;
import org.specus.io.StageTimes;
import org.specus.io.WriteBuffers;
import org.specus.io.sink.TileWriter;

/**
 * Keeps a tile that an interrupted run of the same result left intact, without reading or
 * computing anything; otherwise reads the tile with its margins, runs the chain, and hands the
 * tile to the format's writer.
 *
 * <p>Keeping a tile is safe because the output directory was claimed for this very result (same
 * configuration, input and version: {@code OutputStore.prepare} refuses or clears anything else)
 * and the result is deterministic, so a tile from an interrupted run holds the bytes this run
 * would write; what "intact" means is each format's business ({@link TileWriter#intact}).
 *
 * <p>Reuses, from tile to tile, the tile's float arrays ({@link TileBuffers}) and the direct
 * buffers and zstd context of the write ({@link WriteBuffers}), so the hot path allocates nothing
 * tile-sized. Stage times: {@code main.resume_check}, {@code main.read}, one per op,
 * {@code main.encode} (zstd; none for uncompressed output) and {@code main.write} (the rest of the writer: samples to bytes,
 * checksums, file writes, renames).
 */
final class WriteTileFn extends DoFn<Tile, TileReport> {
  private final RecordingInfo recording;
  private final OpChain chain;
  private final TileWriter writer;
  private transient TileBuffers buffers;
  private transient WriteBuffers writeBuffers;

  WriteTileFn(RecordingInfo recording, OpChain chain, TileWriter writer) {
    this.recording = recording;
    this.chain = chain;
    this.writer = writer;
  }

  @Setup
  public void setup() {
    buffers = new TileBuffers("main");
    writeBuffers = new WriteBuffers();
  }

  @Teardown
  public void teardown() {
    if (writeBuffers != null) {
      writeBuffers.close();
    }
  }

  @ProcessElement
  public void process(ProcessContext c) {
    Tile tile = c.element();
    long t0 = System.nanoTime();
    StageTimes.Mark m = StageTimes.mark();
    OptionalLong kept = writer.intact(tile.index(), writeBuffers);
    StageTimes.lap("main.resume_check", m);
    if (kept.isPresent()) {
      c.output(new TileReport(tile.index(), tile.length(), kept.getAsLong(), System.nanoTime() - t0, true));
      return;
    }
    SignalBlock block = chain.execute(recording, tile.start(), tile.end(), new DoFnSideInputs(c), buffers);
    long bytes;
    StageTimes.Mark w = StageTimes.mark();
    writeBuffers.takeEncodeTime();
    try {
      bytes = writer.write(tile.index(), block.firstSample(), block.data(), block.rows(), writeBuffers);
    } catch (IOException e) {
      throw new UncheckedIOException(writer.root() + ": cannot write tile " + tile.index(), e);
    }
    StageTimes.Mark end = StageTimes.mark();
    long[] encode = writeBuffers.takeEncodeTime();
    if (encode[0] > 0) {
      StageTimes.add("main.encode", encode[0], encode[1]);
    }
    StageTimes.add("main.write", end.wall() - w.wall() - encode[0], end.cpu() - w.cpu() - encode[1]);
    c.output(new TileReport(tile.index(), block.rows(), bytes, System.nanoTime() - t0, false));
  }
}
