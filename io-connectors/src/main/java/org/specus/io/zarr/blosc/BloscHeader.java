package org.specus.io.zarr.blosc;

/**
 * The 16-byte header that starts every c-blosc 1.x chunk, integers little-endian:
 *
 * <pre>
 * byte 0       format version (2 for c-blosc 1.x, 1 for its oldest releases)
 * byte 1       version of the codec's own format
 * byte 2       flags: 0x01 byte shuffle, 0x02 memcpyed (the data follows uncompressed),
 *              0x04 bitshuffle, 0x10 blocks are not split into streams,
 *              bits 5-7 the codec: 0 blosclz, 1 lz4 (and lz4hc), 2 snappy, 3 zlib, 4 zstd
 * byte 3       typesize: bytes per element, the unit of shuffling and of splitting
 * bytes 4-7    nbytes: size of the decoded chunk
 * bytes 8-11   blocksize: decoded size of every block but the last, which holds the rest
 * bytes 12-15  cbytes: size of the encoded chunk, this header included
 * </pre>
 */
public record BloscHeader(int version, int codecVersion, int flags, int typeSize, int nbytes, int blockSize,
    int cbytes) {

  public static final int SIZE = 16;

  static final int BYTE_SHUFFLE = 0x01;
  static final int MEMCPYED = 0x02;
  static final int BIT_SHUFFLE = 0x04;
  static final int DONT_SPLIT = 0x10;

  public static final int BLOSCLZ = 0;
  public static final int LZ4 = 1;
  public static final int SNAPPY = 2;
  public static final int ZLIB = 3;
  public static final int ZSTD = 4;

  // c-blosc splits a block into typesize streams only up to this typesize and from this many elements.
  private static final int MAX_SPLITS = 16;
  private static final int MIN_SPLIT_ELEMENTS = 128;

  /** Reads and checks the header of {@code chunk}, the whole encoded chunk. */
  public static BloscHeader read(byte[] chunk) throws BloscFormatException {
    if (chunk.length < SIZE) {
      throw new BloscFormatException("truncated Blosc chunk: " + chunk.length + " bytes, shorter than the "
          + SIZE + "-byte header");
    }
    BloscHeader h = new BloscHeader(chunk[0] & 0xFF, chunk[1] & 0xFF, chunk[2] & 0xFF, chunk[3] & 0xFF,
        int32(chunk, 4), int32(chunk, 8), int32(chunk, 12));
    h.check(chunk.length);
    return h;
  }

  private void check(int available) throws BloscFormatException {
    if (version < 1 || version > 2) {
      // c-blosc2 numbers its formats from 3; numcodecs' Blosc is c-blosc 1.x.
      throw new BloscFormatException("Blosc format version " + version + " is not c-blosc 1.x's (1 or 2):"
          + " not a numcodecs Blosc chunk");
    }
    if (typeSize == 0) {
      throw new BloscFormatException("corrupt Blosc header: typesize 0");
    }
    if (nbytes < 0 || cbytes < SIZE) {
      throw new BloscFormatException("corrupt Blosc header: nbytes " + nbytes + ", cbytes " + cbytes);
    }
    if (cbytes > available) {
      throw new BloscFormatException("truncated Blosc chunk: the header declares " + cbytes
          + " bytes, there are " + available);
    }
    if (memcpyed()) {
      if ((long) SIZE + nbytes != cbytes) {
        throw new BloscFormatException("corrupt Blosc header: a chunk stored uncompressed holds " + SIZE
            + " + nbytes (" + nbytes + ") bytes, cbytes says " + cbytes);
      }
    } else if (nbytes > 0 && blockSize <= 0) {
      throw new BloscFormatException("corrupt Blosc header: blocksize " + blockSize);
    }
  }

  /** The decoded data follows the header as it is (no blocks, no codec, no shuffle). */
  public boolean memcpyed() {
    return (flags & MEMCPYED) != 0;
  }

  /** Blocks were byte-shuffled (c-blosc ignores the flag for 1-byte elements). */
  public boolean byteShuffle() {
    return (flags & BYTE_SHUFFLE) != 0 && typeSize > 1;
  }

  /** Blocks were bitshuffled (byte shuffle wins when both flags are set, as in c-blosc). */
  public boolean bitShuffle() {
    return !byteShuffle() && (flags & BIT_SHUFFLE) != 0;
  }

  /** The codec number, bits 5-7 of the flags ({@link #BLOSCLZ} ... {@link #ZSTD}). */
  public int codec() {
    return flags >>> 5;
  }

  /** The codec's name; lz4 stands for lz4hc too, which writes the same format. */
  public String codecName() {
    return codecName(codec());
  }

  static String codecName(int codec) {
    return switch (codec) {
      case BLOSCLZ -> "blosclz";
      case LZ4 -> "lz4";
      case SNAPPY -> "snappy";
      case ZLIB -> "zlib";
      case ZSTD -> "zstd";
      default -> "unknown codec " + codec;
    };
  }

  public int blockCount() {
    return nbytes == 0 ? 0 : (int) (((long) nbytes + blockSize - 1) / blockSize);
  }

  /** Decoded size of block {@code b}: {@code blocksize}, or the rest for the last block. */
  public int blockBytes(int b) {
    return b < blockCount() - 1 ? blockSize : nbytes - b * blockSize;
  }

  /**
   * How many streams block {@code b} is stored in: {@code typesize} (one per byte of the element,
   * after shuffling), or 1. c-blosc 1.x splits unless the flags say not to, the block is the last,
   * partial one, the type is wider than 16 bytes or the block holds fewer than 128 elements; the
   * last two rules predate the flag and are still applied when decoding.
   */
  public int streams(int b) {
    boolean partialLast = b == blockCount() - 1 && nbytes % blockSize != 0;
    boolean split = (flags & DONT_SPLIT) == 0 && !partialLast && typeSize <= MAX_SPLITS
        && blockBytes(b) / typeSize >= MIN_SPLIT_ELEMENTS;
    return split ? typeSize : 1;
  }

  static int int32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }
}
