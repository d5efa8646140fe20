package org.specus.io.zarr;

import java.io.IOException;

/** What {@link ZarrRecording} needs of a traces array, whichever Zarr version stores it. */
interface TraceRows {
  /** Rows {@code [rowStart, rowStart + rowCount)}, all columns, as float32. */
  void readFloats(long rowStart, int rowCount, float[] dst) throws IOException;

  /** The stored int16 values as they are (only called for int16 traces). */
  void readShorts(long rowStart, int rowCount, short[] dst) throws IOException;

  /** Frees the decoded chunks this thread keeps between reads. */
  void dropRecentChunks();
}
