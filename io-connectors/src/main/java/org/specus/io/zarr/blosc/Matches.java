package org.specus.io.zarr.blosc;

/** The back-reference copy LZ77 decoders share. */
final class Matches {
  private Matches() {}

  /**
   * Appends {@code length} bytes copied from {@code distance} bytes back in {@code buf} at {@code at},
   * where the copy may overlap its own output (distance 1 repeats one byte), and returns the new end.
   * The caller has checked both ends.
   */
  static int copy(byte[] buf, int at, int distance, int length) {
    int from = at - distance;
    if (distance >= length) {
      System.arraycopy(buf, from, buf, at, length);
      return at + length;
    }
    // Overlap: the bytes from `from` repeat with period `distance`, so copying the `at - from`
    // bytes already written each time doubles the written pattern without breaking the period.
    int end = at + length;
    while (at < end) {
      int n = Math.min(at - from, end - at);
      System.arraycopy(buf, from, buf, at, n);
      at += n;
    }
    return end;
  }
}
