package org.specus.io.zarr.blosc;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes one chunk to a Blosc chunk in the c-blosc 1.x format (see the package docs) with the zstd
 * codec, as numcodecs' {@code Blosc(cname="zstd")} and Zarr v3's {@code blosc} codec read it: a
 * 16-byte header (format version 2, zstd format version 1, the shuffle flag, the "don't split" flag
 * 0x10 and codec 4), a table of block starts, then per block one stream: its int32 size and the
 * zstd frame of the shuffled block, or the shuffled block as it is when zstd does not make it
 * smaller. When the whole chunk would not come out smaller than the input plus the header, it is
 * written "memcpyed" instead: the header with flag 0x02, then the input as it is; so the output is
 * never longer than {@link #maxEncodedSize} = input + 16 bytes. Chunks under 128 bytes and clevel 0
 * are always memcpyed, as c-blosc does.
 *
 * <p>One stream per block ("don't split") is what c-blosc 1.21 itself writes for zstd, and the zstd
 * level for a Blosc clevel and the shuffle layouts are c-blosc's; the default block size is not
 * (see {@link #DEFAULT_BLOCK_SIZE}; block size 0 gives c-blosc's own choice). Everything was
 * checked by decoding with numcodecs 0.11 on c-blosc 1.21.3.
 *
 * <p>Works on {@link ByteBuffer}s so the caller can encode from and into pooled direct buffers:
 * zstd then reads and writes them in place. Heap buffers work too (zstd reads and writes their
 * arrays); a mix costs one copy of each block. Per call nothing chunk-sized is allocated: the
 * encoder keeps block-sized scratch, grown on first use (with shuffling at most three heap arrays
 * and one direct buffer of a block each, 4 MiB with the default blocks), and one zstd context. Not
 * thread-safe: one encoder per thread, closed when done.
 */
public final class BloscEncoder implements AutoCloseable {
  /** Bytes the header adds; also the most the encoded chunk can be longer than its input. */
  public static final int MAX_OVERHEAD = BloscHeader.SIZE;

  static final int FORMAT_VERSION = 2;
  static final int ZSTD_FORMAT_VERSION = 1;
  /** c-blosc stores smaller chunks as they are; also the smallest block size it accepts. */
  static final int MIN_BUFFER_SIZE = 128;
  private static final int MAX_BLOCK_SIZE = 1 << 30;

  /**
   * The block size {@link Options#zstd} uses: 1 MiB. zstd compresses its input in blocks of at most
   * 128 KiB and, at the fast levels, gives up on a block whose first part is incompressible (it
   * stores the whole block raw). A shuffled Blosc block is its byte planes one after the other, the
   * noisy low-order planes first; when a plane ({@code blocksize / typesize} bytes) is a multiple
   * of 128 KiB, every zstd block holds one kind of plane only, and the exponent and high-order
   * planes compress on their own. 1 MiB is such a size for 1-, 2-, 4- and 8-byte types; c-blosc's
   * automatic choice for zstd (32 KiB at clevel 1, 128 KiB at 3) mixes planes inside zstd blocks,
   * which on whitened float32 tiles leaves Blosc no better than plain zstd. Measured on a whitened
   * 384-channel tile, larger blocks (2 and 4 MiB) gain less than 0.5 %; 1 MiB is also what c-blosc
   * itself uses at clevel 9.
   */
  public static final int DEFAULT_BLOCK_SIZE = 1 << 20;

  /**
   * What to encode with: the Blosc clevel (0-9), the shuffle, the element size in bytes (1-255; 2
   * for int16, 4 for float32) and the block size in bytes, 0 for c-blosc 1.21's automatic choice
   * for zstd ({@link #blockSizeFor}).
   */
  public record Options(int clevel, ShuffleMode shuffle, int typeSize, int blockSize) {
    public Options {
      if (clevel < 0 || clevel > 9) {
        throw new IllegalArgumentException("Blosc clevel " + clevel + " is not in 0-9");
      }
      if (shuffle == null) {
        throw new IllegalArgumentException("no shuffle mode (NOSHUFFLE, SHUFFLE or BITSHUFFLE)");
      }
      if (typeSize < 1 || typeSize > 255) {
        throw new IllegalArgumentException("Blosc typesize " + typeSize + " is not in 1-255");
      }
      if (blockSize != 0 && (blockSize < MIN_BUFFER_SIZE || blockSize > MAX_BLOCK_SIZE)) {
        throw new IllegalArgumentException("Blosc blocksize " + blockSize + " is neither 0 (automatic) nor in "
            + MIN_BUFFER_SIZE + "-" + MAX_BLOCK_SIZE);
      }
    }

    /** zstd at {@code clevel} with {@link #DEFAULT_BLOCK_SIZE 1 MiB} blocks. */
    public static Options zstd(int clevel, ShuffleMode shuffle, int typeSize) {
      return new Options(clevel, shuffle, typeSize, DEFAULT_BLOCK_SIZE);
    }

    public Options withBlockSize(int bytes) {
      return new Options(clevel, shuffle, typeSize, bytes);
    }

    /**
     * The zstd level c-blosc 1.x uses for this clevel: {@code 2 * clevel - 1} below 9 (clevel 1 is
     * zstd 1, 3 is zstd 5, 5 is zstd 9), zstd's maximum (22) at 9.
     */
    public int zstdLevel() {
      return clevel < 9 ? 2 * clevel - 1 : 22;
    }

    /**
     * The block size used for a chunk of {@code nbytes}: the given one, or c-blosc 1.21's automatic
     * choice for zstd, which grows with clevel: chunks under 32 KiB are one block; larger ones get
     * 16 KiB at clevel 0, 32 KiB at 1, 64 KiB at 2, 128 KiB at 3, 256 KiB at 4-5, 512 KiB at 6-8,
     * 1 MiB at 9. Never more than the chunk, and a multiple of the type size.
     */
    public int blockSizeFor(int nbytes) {
      long bs;
      if (blockSize > 0) {
        bs = blockSize;
      } else if (nbytes >= 32 * 1024) {
        bs = switch (clevel) {
          case 0 -> 16 << 10;
          case 1 -> 32 << 10;
          case 2 -> 64 << 10;
          case 3 -> 128 << 10;
          case 4, 5 -> 256 << 10;
          case 6, 7, 8 -> 512 << 10;
          default -> 1 << 20;
        };
      } else {
        bs = nbytes;
      }
      bs = Math.min(bs, nbytes);
      if (bs > typeSize) {
        bs = bs / typeSize * typeSize;
      }
      return (int) Math.max(bs, 1);
    }

    /**
     * This codec as a Zarr v3 {@code codecs} entry: {@code {"name": "blosc", "configuration":
     * {"cname": "zstd", "clevel", "shuffle", "typesize", "blocksize"}}} (blocksize 0 = automatic).
     */
    public Map<String, Object> zarrV3Codec() {
      Map<String, Object> conf = new LinkedHashMap<>();
      conf.put("cname", "zstd");
      conf.put("clevel", clevel);
      conf.put("shuffle", shuffle.zarrName());
      conf.put("typesize", typeSize);
      conf.put("blocksize", blockSize);
      Map<String, Object> codec = new LinkedHashMap<>();
      codec.put("name", "blosc");
      codec.put("configuration", conf);
      return codec;
    }

    /** This codec as a Zarr v2 {@code compressor} (numcodecs' {@code Blosc} config). */
    public Map<String, Object> numcodecsCompressor() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("id", "blosc");
      c.put("cname", "zstd");
      c.put("clevel", clevel);
      c.put("shuffle", shuffle.numcodecsId());
      c.put("blocksize", blockSize);
      return c;
    }
  }

  private final Options options;
  private final ZstdCompressCtx zstd;
  // Block-sized scratch, grown on demand and kept: the source block as bytes, the shuffled block,
  // and a direct copy of a block for zstd when the input is on the heap and the output direct.
  private byte[] plain = new byte[0];
  private byte[] shuffled = new byte[0];
  private byte[] planes = new byte[0]; // bitshuffle's byte-shuffled intermediate
  private ByteBuffer directBlock;

  public BloscEncoder(Options options) {
    this.options = options;
    this.zstd = new ZstdCompressCtx();
    if (options.clevel() > 0) {
      zstd.setLevel(options.zstdLevel()).setChecksum(false).setContentSize(true);
    }
  }

  public Options options() {
    return options;
  }

  /** The most bytes {@link #encode} writes for {@code nbytes} of input: {@code nbytes + 16}. */
  public static int maxEncodedSize(int nbytes) {
    return Math.addExact(nbytes, MAX_OVERHEAD);
  }

  /**
   * Encodes {@code src}'s remaining bytes (the chunk, little-endian elements) into {@code dst} from
   * its position, which must have {@link #maxEncodedSize}{@code (src.remaining())} bytes left.
   * Advances both positions and returns the encoded size. Neither buffer's byte order matters.
   */
  public int encode(ByteBuffer src, ByteBuffer dst) {
    int nbytes = src.remaining();
    if (nbytes > Integer.MAX_VALUE - MAX_OVERHEAD) {
      throw new IllegalArgumentException("a Blosc chunk holds at most " + (Integer.MAX_VALUE - MAX_OVERHEAD)
          + " bytes, not " + nbytes);
    }
    if (dst.remaining() < nbytes + MAX_OVERHEAD) {
      throw new IllegalArgumentException("output has " + dst.remaining() + " bytes left, Blosc may need "
          + (nbytes + MAX_OVERHEAD) + " for " + nbytes + " bytes of input");
    }
    if (dst.isReadOnly()) {
      throw new IllegalArgumentException("output buffer is read-only");
    }
    int srcPos = src.position();
    int dstPos = dst.position();
    ByteBuffer out = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int blockSize = options.blockSizeFor(nbytes);
    int n = -1;
    if (options.clevel() > 0 && nbytes >= MIN_BUFFER_SIZE) {
      n = compressed(src, srcPos, nbytes, out, dstPos, blockSize);
    }
    if (n < 0) {
      out.put(dstPos + MAX_OVERHEAD, src, srcPos, nbytes);
      n = MAX_OVERHEAD + nbytes;
      // as c-blosc: the shuffle and don't-split flags stay set (readers ignore them here)
      writeHeader(out, dstPos, options.shuffle().headerFlag() | BloscHeader.DONT_SPLIT | BloscHeader.MEMCPYED,
          nbytes, blockSize, n);
    }
    src.position(srcPos + nbytes);
    dst.position(dstPos + n);
    return n;
  }

  /** Encodes {@code src} whole into a new array of the encoded size (tests, small chunks). */
  public byte[] encode(byte[] src) {
    ByteBuffer out = ByteBuffer.allocate(maxEncodedSize(src.length));
    int n = encode(ByteBuffer.wrap(src), out);
    return java.util.Arrays.copyOf(out.array(), n);
  }

  /**
   * Writes the blocked form at {@code at} and returns its size, or -1 when it would not be smaller
   * than the memcpyed form ({@code 16 + nbytes}); it then may have written anything below that.
   */
  private int compressed(ByteBuffer src, int srcPos, int nbytes, ByteBuffer out, int at, int blockSize) {
    int blocks = (int) (((long) nbytes + blockSize - 1) / blockSize);
    int end = at + MAX_OVERHEAD + nbytes - 1; // exclusive: must end before a memcpyed chunk would
    int pos = at + MAX_OVERHEAD + 4 * blocks;
    if (pos > end) {
      return -1;
    }
    ensureScratch(Math.min(blockSize, nbytes), src, out);
    ShuffleMode shuffle = options.shuffle();
    for (int b = 0; b < blocks; b++) {
      int from = srcPos + b * blockSize;
      int size = Math.min(blockSize, nbytes - b * blockSize);
      out.putInt(at + MAX_OVERHEAD + 4 * b, pos - at);
      if (end - pos < 4) {
        return -1;
      }
      // The stream's input: the shuffled block in `shuffled`, or the block where it is in src.
      byte[] arr = null;
      ByteBuffer buf = null;
      int off = 0;
      if (shuffle == ShuffleMode.NOSHUFFLE) {
        if (src.hasArray()) {
          arr = src.array();
          off = src.arrayOffset() + from;
        } else {
          buf = src;
          off = from;
        }
      } else {
        byte[] in;
        int inOff;
        if (src.hasArray()) {
          in = src.array();
          inOff = src.arrayOffset() + from;
        } else {
          src.get(from, plain, 0, size);
          in = plain;
          inOff = 0;
        }
        if (shuffle == ShuffleMode.SHUFFLE) {
          Shuffle.bytes(options.typeSize(), in, inOff, shuffled, 0, size);
        } else {
          Shuffle.bits(options.typeSize(), in, inOff, shuffled, 0, size, planes);
        }
        arr = shuffled;
      }
      int budget = Math.min(size - 1, end - pos - 4);
      int c = budget > 0 ? zstd(arr, buf, off, size, out, pos + 4, budget) : -1;
      if (c < 0) {
        // zstd did not make it smaller: the stream is the (shuffled) block as it is
        if (end - pos - 4 < size) {
          return -1;
        }
        if (arr != null) {
          out.put(pos + 4, arr, off, size);
        } else {
          out.put(pos + 4, buf, off, size);
        }
        c = size;
      }
      out.putInt(pos, c);
      pos += 4 + c;
    }
    int flags = shuffle.headerFlag() | BloscHeader.DONT_SPLIT;
    writeHeader(out, at, flags, nbytes, blockSize, pos - at);
    return pos - at;
  }

  /**
   * zstd of {@code len} input bytes ({@code arr} from {@code off}, else direct {@code buf} from
   * {@code off}) into {@code out} at {@code to}, at most {@code budget} bytes; -1 if it needs more.
   */
  private int zstd(byte[] arr, ByteBuffer buf, int off, int len, ByteBuffer out, int to, int budget) {
    try {
      if (out.isDirect()) {
        if (buf == null) {
          directBlock.put(0, arr, off, len);
          buf = directBlock;
          off = 0;
        } else if (!buf.isDirect()) {
          directBlock.put(0, buf, off, len);
          buf = directBlock;
          off = 0;
        }
        return zstd.compressDirectByteBuffer(out, to, budget, buf, off, len);
      }
      if (arr == null) {
        buf.get(off, plain, 0, len);
        arr = plain;
        off = 0;
      }
      return zstd.compressByteArray(out.array(), out.arrayOffset() + to, budget, arr, off, len);
    } catch (ZstdException e) {
      if (e.getErrorCode() == Zstd.errDstSizeTooSmall()
          || Zstd.getErrorCode(e.getErrorCode()) == Zstd.errDstSizeTooSmall()) {
        return -1;
      }
      throw e;
    }
  }

  private void writeHeader(ByteBuffer out, int at, int flags, int nbytes, int blockSize, int cbytes) {
    out.put(at, (byte) FORMAT_VERSION);
    out.put(at + 1, (byte) ZSTD_FORMAT_VERSION);
    out.put(at + 2, (byte) (flags | BloscHeader.ZSTD << 5));
    out.put(at + 3, (byte) options.typeSize());
    out.putInt(at + 4, nbytes);
    out.putInt(at + 8, blockSize);
    out.putInt(at + 12, cbytes);
  }

  private void ensureScratch(int blockBytes, ByteBuffer src, ByteBuffer out) {
    boolean shuffles = options.shuffle() != ShuffleMode.NOSHUFFLE;
    boolean needPlain = (shuffles && !src.hasArray()) || (!out.isDirect() && !src.hasArray());
    if (needPlain && plain.length < blockBytes) {
      plain = new byte[blockBytes];
    }
    if (shuffles && shuffled.length < blockBytes) {
      shuffled = new byte[blockBytes];
    }
    if (options.shuffle() == ShuffleMode.BITSHUFFLE && planes.length < blockBytes) {
      planes = new byte[blockBytes];
    }
    boolean needDirect = out.isDirect() && (shuffles || !src.isDirect());
    if (needDirect && (directBlock == null || directBlock.capacity() < blockBytes)) {
      directBlock = ByteBuffer.allocateDirect(blockBytes);
    }
  }

  @Override
  public void close() {
    zstd.close();
  }
}
