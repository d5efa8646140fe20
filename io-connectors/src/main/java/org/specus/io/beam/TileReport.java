package org.specus.io.beam;

import java.io.Serializable;

/**
 * What writing one tile produced: small enough to collect for every tile of a recording.
 *
 * @param bytesWritten the shard's size (also when it was reused)
 * @param reused the shard was already complete and valid from an interrupted run of the same
 *     result, so the tile was neither read nor computed
 */
public record TileReport(long index, long samples, long bytesWritten, long nanos, boolean reused)
    implements Serializable {}
