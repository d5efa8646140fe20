package org.specus.io.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.specus.io.output.OutputStore;
import org.specus.io.sink.TileWriter;

/**
 * Runs once, after every tile has been written or kept: checks that each tile reported exactly
 * once, lets the writer make the tiles durable and write the metadata, removes what failed
 * attempts left behind, and writes the completion marker last.
 */
final class CommitFn extends DoFn<List<TileReport>, SinkSummary> {
  private static final Counter TILES_COMPUTED = Metrics.counter(TileSink.METRICS, TileSink.TILES_COMPUTED);
  private static final Counter TILES_REUSED = Metrics.counter(TileSink.METRICS, TileSink.TILES_REUSED);
  private final RecordingInfo recording;
  private final OpChain chain;
  private final TileWriter writer;
  private final long numTiles;
  private final Map<String, Object> provenance;
  private final OutputStore.ResultKey resultKey;

  CommitFn(RecordingInfo recording, OpChain chain, TileWriter writer, long numTiles,
      Map<String, Object> provenance, OutputStore.ResultKey resultKey) {
    this.recording = recording;
    this.chain = chain;
    this.writer = writer;
    this.numTiles = numTiles;
    this.provenance = provenance;
    this.resultKey = resultKey;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    List<TileReport> reports = c.element();
    Path root = writer.root();
    CollectReportsFn.checkEveryTileOnce(root, reports, numTiles);
    SideInputs sides = new DoFnSideInputs(c);
    List<Artifact> artifacts = chain.ops().stream().flatMap(op -> op.artifacts(sides).stream()).toList();
    try {
      writer.commit(recording, artifacts, provenance);
    } catch (IOException e) {
      throw new UncheckedIOException(root + ": cannot write the output's metadata", e);
    }
    long samples = reports.stream().mapToLong(TileReport::samples).sum();
    long reused = reports.stream().filter(TileReport::reused).count();
    long bytes = reports.stream().mapToLong(TileReport::bytesWritten).sum();
    double seconds = reports.stream().mapToLong(TileReport::nanos).sum() / 1e9;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("tiles", reports.size());
    details.put("samples", samples);
    details.put("completed_at", java.time.Instant.now().toString());
    try {
      // Every tile has reported, so a temporary file now is what a killed attempt left behind.
      OutputStore.removeLeftoverTemporaries(root);
    } catch (IOException e) {
      throw new UncheckedIOException(root + ": cannot remove the temporary files of failed attempts", e);
    }
    OutputStore.markComplete(root, resultKey, details);
    // Counted here, once per committed run, rather than per tile: a retried tile bundle cannot
    // count twice. Not in the marker, so a resumed output is byte-identical to an uninterrupted one.
    TILES_COMPUTED.inc(reports.size() - reused);
    TILES_REUSED.inc(reused);
    c.output(new SinkSummary(root.toString(), reports.size(), reused, samples, bytes, seconds));
  }
}
