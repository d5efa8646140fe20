package org.specus.io.beam;

import java.io.Serializable;

/** What the commit step saw: one value per run, for the command line's summary. */
public record SinkSummary(String output, long tiles, long samples, long bytesWritten, double processingSeconds)
    implements Serializable {}
