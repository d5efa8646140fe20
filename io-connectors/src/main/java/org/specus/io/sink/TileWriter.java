package org.specus.io.sink;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.specus.io.WriteBuffers;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.RecordingInfo;

/**
 * What one output format does with processed tiles; the sink ({@code TileSink}) does the rest
 * (running the chain, the one commit step, the completion marker). Built when the pipeline is
 * built, shipped to the workers.
 *
 * <ul>
 *   <li>{@link #intact} and {@link #write} run once per tile, concurrently for different tiles, each
 *       call with the {@link WriteBuffers} of the calling worker. {@code write} must be idempotent
 *       (a runner may retry a tile) and must leave a tile that {@code intact} would accept only
 *       once the tile is fully written.
 *   <li>{@link #commit} runs once, after every tile was written or kept: it writes the metadata
 *       and returns only once the tiles and the metadata are durable (on disk), because the sink
 *       writes the completion marker right after it, and the marker vouches for everything.
 * </ul>
 */
public interface TileWriter extends Serializable {

  /** The output directory. */
  Path root();

  /** The format's name as {@code --format} spells it, for display and messages. */
  String format();

  /**
   * The size in bytes of tile {@code index} if an interrupted run of this same result already
   * wrote it completely and it can be kept, else empty. It must never accept a tile that is not
   * intact (cut short, damaged, of another geometry, or never finished): when in doubt, empty, and
   * the tile is computed again. It reads, and never changes, the output. The output directory was
   * claimed for this very result ({@code OutputStore.prepare}), and results are deterministic, so
   * an intact tile holds exactly the bytes this run would write.
   */
  OptionalLong intact(long index, WriteBuffers buffers);

  /**
   * Writes samples {@code [firstSample, firstSample + rows)} of tile {@code index}, sample-major
   * float32 {@code rows × channels} in {@code data} (which may be longer); returns the bytes
   * written.
   */
  long write(long index, long firstSample, float[] data, int rows, WriteBuffers buffers) throws IOException;

  /**
   * Makes every tile durable and writes everything that describes the samples (arrays,
   * attributes, side files), removing any bookkeeping of its own, so that the output is the same,
   * byte for byte, whether or not the run was resumed.
   */
  void commit(RecordingInfo recording, List<Artifact> artifacts, Map<String, Object> provenance) throws IOException;
}
