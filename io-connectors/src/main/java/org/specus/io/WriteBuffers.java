package org.specus.io;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The off-heap buffers and zstd contexts one writer reuses from tile to tile: the write path of
 * every output format goes through here, so that each sample is copied once from the tile's
 * {@code float[]} into little-endian bytes in a direct buffer, compressed direct-to-direct by
 * zstd-jni, and handed to {@link FileChannel} as a direct buffer (a heap buffer would first be
 * copied by the JDK into a temporary direct one, which it then caches per thread).
 *
 * <p>Buffers only grow, so in the steady state a tile allocates nothing large. Not thread-safe:
 * one instance per DoFn instance (as {@code TileBuffers}), or one per call for a one-off write;
 * {@link #close} frees the zstd contexts (the direct buffers go with the garbage collector).
 *
 * <p>The time spent inside zstd is added up here ({@link #takeEncodeTime}), so the caller can
 * report {@code encode} (zstd) and {@code write} (everything else) as separate stages.
 */
public final class WriteBuffers implements AutoCloseable {
  private ByteBuffer raw;
  private ByteBuffer packed;
  private ByteBuffer small;
  private ZstdCompressCtx compressor;
  private ZstdDecompressCtx decompressor;
  private long encodeWall;
  private long encodeCpu;

  /** A direct little-endian buffer with position 0 and limit {@code bytes}; contents unspecified. */
  public ByteBuffer raw(int bytes) {
    raw = atLeast(raw, bytes);
    raw.clear().limit(bytes);
    return raw;
  }

  /**
   * A direct buffer for what zstd makes of {@code rawBytes} bytes (capacity at least
   * {@code compressBound(rawBytes)}), position 0, limit at its capacity; not the {@link #raw} one.
   */
  public ByteBuffer packed(int rawBytes) {
    packed = atLeast(packed, Math.toIntExact(Zstd.compressBound(rawBytes)));
    packed.clear();
    return packed;
  }

  /** A small direct little-endian buffer (e.g. a shard index), position 0, limit {@code bytes}. */
  public ByteBuffer small(int bytes) {
    small = atLeast(small, bytes);
    small.clear().limit(bytes);
    return small;
  }

  private static ByteBuffer atLeast(ByteBuffer b, int bytes) {
    if (b != null && b.capacity() >= bytes) {
      return b;
    }
    // Grow by a margin so that a slightly larger tile (e.g. int16 then float32) does not reallocate.
    int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(bytes, (long) bytes + bytes / 8));
    return ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Puts {@code values[from, from + count)} at {@code dst}'s position as little-endian float32, or
   * as int16 rounded half to even and saturated ({@link #toInt16}), and advances the position.
   */
  public static void putSamples(ByteBuffer dst, float[] values, int from, int count, boolean int16) {
    if (dst.order() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalArgumentException("sample bytes are little-endian: the buffer must be too");
    }
    int at = dst.position();
    if (int16) {
      for (int i = 0; i < count; i++) {
        dst.putShort(at + 2 * i, toInt16(values[from + i]));
      }
      dst.position(at + 2 * count);
    } else {
      dst.asFloatBuffer().put(values, from, count); // one bulk copy (a swap only on big-endian hosts)
      dst.position(at + 4 * count);
    }
  }

  /** Puts {@code values[from, from + count)} at {@code dst}'s position as little-endian int16. */
  public static void putSamples(ByteBuffer dst, short[] values, int from, int count) {
    if (dst.order() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalArgumentException("sample bytes are little-endian: the buffer must be too");
    }
    int at = dst.position();
    dst.asShortBuffer().put(values, from, count);
    dst.position(at + 2 * count);
  }

  /** Zeroes {@code dst} from its position to its limit (the fill value of padding) and moves to the limit. */
  public static void zeroToLimit(ByteBuffer dst) {
    int i = dst.position();
    int end = dst.limit();
    for (; i + 8 <= end; i += 8) {
      dst.putLong(i, 0L);
    }
    for (; i < end; i++) {
      dst.put(i, (byte) 0);
    }
    dst.position(end);
  }

  /** One sample as int16: rounded half to even (numpy's {@code round}), saturated. */
  public static short toInt16(float value) {
    double v = Math.rint(value);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
  }

  /**
   * Compresses {@code src}'s remaining bytes into {@link #packed} as one zstd frame at
   * {@code level} (content size in the frame header, no checksum: what numcodecs and zarrita
   * expect) and returns that buffer with position 0 and limit at the frame's end. Leaves
   * {@code src}'s position alone.
   */
  public ByteBuffer compress(ByteBuffer src, int level) {
    int n = src.remaining();
    ByteBuffer dst = packed(n);
    if (compressor == null) {
      compressor = new ZstdCompressCtx();
    }
    compressor.setLevel(level).setChecksum(false).setContentSize(true);
    StageTimes.Mark t0 = StageTimes.mark();
    int size = compressor.compressDirectByteBuffer(dst, 0, dst.capacity(), src, src.position(), n);
    StageTimes.Mark t1 = StageTimes.mark();
    encodeWall += t1.wall() - t0.wall();
    encodeCpu += t1.cpu() - t0.cpu();
    dst.limit(size);
    return dst;
  }

  /**
   * Decompresses the single zstd frame in {@code src}'s remaining bytes into {@link #raw}, which
   * must then hold exactly {@code expectedBytes}; returns false, never throws, if the bytes are not
   * such a frame (cut short, damaged, another size, trailing bytes). {@code src} must not be the
   * {@link #raw} buffer (read the file into {@link #packed}).
   */
  public boolean decompressesTo(ByteBuffer src, int expectedBytes) {
    int at = src.position();
    int n = src.remaining();
    try {
      if (Zstd.getDirectByteBufferFrameContentSize(src, at, n) != expectedBytes
          || Zstd.findDirectByteBufferFrameCompressedSize(src, at, n) != n) {
        return false;
      }
      ByteBuffer dst = raw(expectedBytes);
      if (decompressor == null) {
        decompressor = new ZstdDecompressCtx();
      }
      return decompressor.decompressDirectByteBuffer(dst, 0, expectedBytes, src, at, n) == expectedBytes;
    } catch (RuntimeException e) { // ZstdException: not a valid frame
      return false;
    }
  }

  /** Writes {@code src}'s remaining bytes at {@code position} of {@code channel}; returns the new position. */
  public static long writeFully(FileChannel channel, ByteBuffer src, long position) throws IOException {
    while (src.hasRemaining()) {
      position += channel.write(src, position);
    }
    return position;
  }

  /** Writes {@code src}'s remaining bytes at the channel's current position. */
  public static void writeFully(FileChannel channel, ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      channel.write(src);
    }
  }

  /** Reads exactly {@code dst}'s remaining bytes from {@code position}; false if the file ends first. */
  public static boolean readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
    while (dst.hasRemaining()) {
      int n = channel.read(dst, position);
      if (n < 0) {
        return false;
      }
      position += n;
    }
    return true;
  }

  /**
   * The wall and thread-CPU nanoseconds spent in zstd since the last call, as {@code {wall, cpu}},
   * and starts counting again.
   */
  public long[] takeEncodeTime() {
    long[] t = {encodeWall, encodeCpu};
    encodeWall = 0;
    encodeCpu = 0;
    return t;
  }

  @Override
  public void close() {
    if (compressor != null) {
      compressor.close();
      compressor = null;
    }
    if (decompressor != null) {
      decompressor.close();
      decompressor = null;
    }
    raw = null;
    packed = null;
    small = null;
  }
}
