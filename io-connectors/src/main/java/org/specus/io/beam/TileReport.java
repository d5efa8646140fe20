package org.specus.io.beam;

import java.io.Serializable;

/**
 * What writing one tile produced: small enough to collect for every tile of a recording.
 *
 * @param bytesWritten the tile's size in the output (also when it was reused)
 * @param reused the tile was already intact in the output, from an interrupted run of the same
 *     result, so it was neither read nor computed
 */
public record TileReport(long index, long samples, long bytesWritten, long nanos, boolean reused)
    implements Serializable {}
