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
import org.specus.io.zarr.DurableShards;
import org.specus.io.zarr.ZarrV3;

/**
 * Runs once, after every tile has been written: checks that each tile reported exactly once, writes
 * the arrays and attributes that describe the traces, and writes the completion marker last.
 */
final class CommitFn extends DoFn<List<TileReport>, SinkSummary> {
  private static final Counter TILES_COMPUTED = Metrics.counter(ZarrSink.METRICS, ZarrSink.TILES_COMPUTED);
  private static final Counter TILES_REUSED = Metrics.counter(ZarrSink.METRICS, ZarrSink.TILES_REUSED);
  private final RecordingInfo recording;
  private final OpChain chain;
  private final TracesLayout layout;
  private final long numTiles;
  private final Map<String, Object> provenance;
  private final OutputStore.ResultKey resultKey;

  CommitFn(RecordingInfo recording, OpChain chain, TracesLayout layout, long numTiles,
      Map<String, Object> provenance, OutputStore.ResultKey resultKey) {
    this.recording = recording;
    this.chain = chain;
    this.layout = layout;
    this.numTiles = numTiles;
    this.provenance = provenance;
    this.resultKey = resultKey;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    List<TileReport> reports = c.element();
    CollectReportsFn.checkEveryTileOnce(layout.root(), reports, numTiles);
    Path root = layout.rootPath();
    try {
      // Shards were written without fsync: make them durable before anything vouches for them.
      DurableShards.sync(layout.tracesPath(), layout.zarrLayout());
      ZarrV3.writeShardedArrayMetadata(layout.tracesPath(), layout.zarrLayout(), Map.of());
      ZarrV3.writeStringArray(root.resolve("channel_ids"), recording.channelIds(), Map.of());
      ZarrV3.writeGroup(root.resolve("properties"), Map.of());
      ZarrV3.writeDoubleArray(root.resolve("properties/gain_to_uV"), recording.gainToUv(),
          new long[] {recording.numChannels()}, Map.of());
      if (recording.locations() != null) {
        ZarrV3.writeDoubleArray(root.resolve("properties/location"), flatten(recording.locations()),
            new long[] {recording.numChannels(), 2}, Map.of("units", "um"));
      }
      for (Artifact a : artifacts(c)) {
        Path dir = root.resolve(a.name());
        if (a.asFloat32()) {
          ZarrV3.writeFloatArray(dir, toFloat(a.values()), a.shape(), a.attributes());
        } else {
          ZarrV3.writeDoubleArray(dir, a.values(), a.shape(), a.attributes());
        }
      }
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("sampling_frequency", recording.samplingRate());
      attributes.put("num_segments", 1);
      attributes.put("annotations", Map.of("is_filtered", true));
      attributes.put("provenance", provenance);
      ZarrV3.writeGroup(root, attributes);
      DurableShards.syncMetadata(root, layout.tracesPath().resolve("c"));
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

  private List<Artifact> artifacts(ProcessContext c) {
    SideInputs sides = new DoFnSideInputs(c);
    return chain.ops().stream().flatMap(op -> op.artifacts(sides).stream()).toList();
  }


  private static double[] flatten(double[][] rows) {
    double[] flat = new double[rows.length * 2];
    for (int i = 0; i < rows.length; i++) {
      flat[2 * i] = rows[i][0];
      flat[2 * i + 1] = rows[i][1];
    }
    return flat;
  }

  private static float[] toFloat(double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }
}
