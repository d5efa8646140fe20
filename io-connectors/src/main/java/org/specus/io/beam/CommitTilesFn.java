package org.specus.io.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.specus.io.output.OutputStore;
import org.specus.io.sink.TileWriter;

/**
 * Runs once, after every tile has been written: checks that each tile reported exactly once, lets
 * the writer write its metadata, and writes the completion marker last.
 */
final class CommitTilesFn extends DoFn<List<TileReport>, SinkSummary> {
  private final RecordingInfo recording;
  private final OpChain chain;
  private final TileWriter writer;
  private final long numTiles;
  private final Map<String, Object> provenance;
  private final OutputStore.ResultKey resultKey;

  CommitTilesFn(RecordingInfo recording, OpChain chain, TileWriter writer, long numTiles,
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
    CollectReportsFn.checkEveryTileOnce(writer.root(), reports, numTiles);
    SideInputs sides = new DoFnSideInputs(c);
    List<Artifact> artifacts = chain.ops().stream().flatMap(op -> op.artifacts(sides).stream()).toList();
    Path root = writer.root();
    try {
      writer.commit(recording, artifacts, provenance);
    } catch (IOException e) {
      throw new UncheckedIOException(root + ": cannot write the output's metadata", e);
    }
    long samples = reports.stream().mapToLong(TileReport::samples).sum();
    long bytes = reports.stream().mapToLong(TileReport::bytesWritten).sum();
    double seconds = reports.stream().mapToLong(TileReport::nanos).sum() / 1e9;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("tiles", reports.size());
    details.put("samples", samples);
    details.put("completed_at", java.time.Instant.now().toString());
    OutputStore.markComplete(root, resultKey, details);
    c.output(new SinkSummary(root.toString(), reports.size(), 0, samples, bytes, seconds));
  }
}
