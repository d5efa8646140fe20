package org.specus.io.sink;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.RecordingInfo;

/**
 * What one output format does with processed tiles: built when the pipeline is built, shipped to
 * the workers. {@link #write} runs once per tile, concurrently for different tiles, and must be
 * idempotent (a runner may retry a tile); {@link #commit} runs once after every tile has been
 * written and writes the metadata. The completion marker is not the writer's business: the sink
 * writes it after {@link #commit} returns.
 */
public interface TileWriter extends Serializable {

  /** The output directory. */
  Path root();

  /**
   * Writes samples {@code [firstSample, firstSample + rows)} of tile {@code index}, sample-major
   * float32 {@code rows × channels}; returns the bytes written.
   */
  long write(long index, long firstSample, float[] data, int rows) throws IOException;

  /** Writes everything that describes the samples: arrays, attributes, side files. */
  void commit(RecordingInfo recording, List<Artifact> artifacts, Map<String, Object> provenance) throws IOException;
}
