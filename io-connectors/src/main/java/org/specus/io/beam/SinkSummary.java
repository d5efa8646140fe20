package org.specus.io.beam;

import java.io.Serializable;

/**
 * What the commit step saw: one value per run, for the command line's summary.
 *
 * @param tilesReused tiles (shards, chunks, byte ranges) kept from an interrupted run instead of being computed again
 */
public record SinkSummary(String output, long tiles, long tilesReused, long samples, long bytesWritten,
    double processingSeconds) implements Serializable {

  public long tilesComputed() {
    return tiles - tilesReused;
  }
}
