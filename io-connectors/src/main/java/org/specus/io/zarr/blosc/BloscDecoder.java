package org.specus.io.zarr.blosc;

/**
 * Decodes one numcodecs {@code Blosc} chunk (the c-blosc 1.x format, see the package docs) to the
 * bytes that were compressed. Plain Java on arrays; every inconsistency in the chunk is a {@link
 * BloscFormatException}, never an out-of-bounds access.
 */
public final class BloscDecoder {
  private BloscDecoder() {}

  /** The decoded bytes of {@code chunk}, whatever size its header declares. */
  public static byte[] decode(byte[] chunk) throws BloscFormatException {
    return decode(chunk, -1);
  }

  /**
   * The decoded bytes of {@code chunk}, which must decode to {@code expectedSize} bytes (checked
   * against the header before anything is allocated); a negative {@code expectedSize} accepts any.
   */
  public static byte[] decode(byte[] chunk, long expectedSize) throws BloscFormatException {
    BloscHeader h = BloscHeader.read(chunk);
    if (expectedSize >= 0 && h.nbytes() != expectedSize) {
      throw new BloscFormatException("Blosc chunk decodes to " + h.nbytes() + " bytes, the array's chunk holds "
          + expectedSize + " (truncated, or shape/chunks/dtype disagree with the data)");
    }
    byte[] out = new byte[h.nbytes()];
    if (h.memcpyed()) {
      System.arraycopy(chunk, BloscHeader.SIZE, out, 0, h.nbytes());
      return out;
    }
    int blocks = h.blockCount();
    long dataStart = BloscHeader.SIZE + 4L * blocks;
    if (dataStart > h.cbytes()) {
      throw new BloscFormatException("truncated Blosc chunk: " + blocks + " block starts need " + dataStart
          + " bytes, the chunk has " + h.cbytes());
    }
    boolean shuffled = h.byteShuffle() || h.bitShuffle();
    byte[] block = shuffled ? new byte[Math.min(h.blockSize(), h.nbytes())] : null;
    byte[] planes = h.bitShuffle() ? new byte[block.length] : null;
    try (StreamCodecs codecs = new StreamCodecs(h.codec())) {
      for (int b = 0; b < blocks; b++) {
        int size = h.blockBytes(b);
        int at = b * h.blockSize();
        if (shuffled) {
          readBlock(chunk, h, b, codecs, block, 0);
          if (h.byteShuffle()) {
            Unshuffle.bytes(h.typeSize(), block, 0, out, at, size);
          } else {
            Unshuffle.bits(h.typeSize(), block, 0, out, at, size, planes);
          }
        } else {
          readBlock(chunk, h, b, codecs, out, at);
        }
      }
    }
    return out;
  }

  /** Decodes the streams of block {@code b} into {@code dst} from {@code dstOff}. */
  private static void readBlock(byte[] chunk, BloscHeader h, int b, StreamCodecs codecs, byte[] dst, int dstOff)
      throws BloscFormatException {
    int end = h.cbytes();
    int start = BloscHeader.int32(chunk, BloscHeader.SIZE + 4 * b);
    if (start < BloscHeader.SIZE + 4 * h.blockCount() || start >= end) {
      throw new BloscFormatException("corrupt Blosc chunk: block " + b + " starts at byte " + start
          + ", outside the chunk's " + end + " bytes of data");
    }
    int size = h.blockBytes(b);
    int streams = h.streams(b);
    if (size % streams != 0) {
      throw new BloscFormatException("corrupt Blosc header: blocksize " + h.blockSize()
          + " is not a multiple of typesize " + h.typeSize());
    }
    int streamSize = size / streams;
    int pos = start;
    for (int s = 0; s < streams; s++) {
      if (end - pos < 4) {
        throw new BloscFormatException("truncated Blosc chunk: block " + b + " stream " + s + " has no size");
      }
      int compressed = BloscHeader.int32(chunk, pos);
      pos += 4;
      if (compressed <= 0 || compressed > end - pos) {
        throw new BloscFormatException("truncated or corrupt Blosc chunk: block " + b + " stream " + s
            + " declares " + compressed + " bytes, " + (end - pos) + " are left");
      }
      int to = dstOff + s * streamSize;
      if (compressed == streamSize) {
        System.arraycopy(chunk, pos, dst, to, streamSize); // compression did not help: stored as is
      } else {
        try {
          codecs.decompress(chunk, pos, compressed, dst, to, streamSize);
        } catch (BloscFormatException e) {
          throw new BloscFormatException("block " + b + " stream " + s + ": " + e.getMessage(), e);
        }
      }
      pos += compressed;
    }
  }
}
