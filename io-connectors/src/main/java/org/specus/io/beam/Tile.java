package org.specus.io.beam;

import java.io.Serializable;

/**
 * A span of a recording, {@code [start, end)} in samples, that becomes one output shard. Only the
 * descriptor travels through the pipeline; the samples are read, processed and written inside one
 * DoFn call so that memory never depends on the recording's length.
 */
public record Tile(long index, long start, long end) implements Serializable {

  public Tile {
    if (index < 0 || start < 0 || end <= start) {
      throw new IllegalArgumentException(
          "tile " + index + " has an empty or negative range [" + start + ", " + end + ")");
    }
  }

  public int length() {
    return Math.toIntExact(end - start);
  }
}
