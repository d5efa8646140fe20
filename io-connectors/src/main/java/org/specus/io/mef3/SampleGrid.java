package org.specus.io.mef3;

/**
 * The session's sample grid: sample 0 at the earliest channel's first sample, one sample per
 * {@code 1 / rate} seconds. MEF stores times, not sample positions, so a block's place on the grid
 * is the index nearest its start time; rounding each block's time (not accumulating sample counts)
 * keeps a long recording's blocks where its clock put them.
 *
 * @param start true time of sample 0, µs since the epoch (relative when the offset is unknown)
 * @param offset the recording time offset that turns stored times into true ones (0 when unknown:
 *     places on the grid only need differences)
 */
record SampleGrid(long start, long offset, double rate) {

  long index(long storedTime) {
    return Math.round((SegmentMetadata.trueTime(storedTime, offset) - start) * rate / 1e6);
  }
}
