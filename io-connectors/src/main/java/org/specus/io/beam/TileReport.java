package org.specus.io.beam;

import java.io.Serializable;

/** What writing one tile produced: small enough to collect for every tile of a recording. */
public record TileReport(long index, long samples, long bytesWritten, long nanos) implements Serializable {}
