package org.specus.io;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The buffers and zstd contexts one writer reuses from tile to tile: the write path of every output
 * format goes through here, so that each sample is copied once from the tile's {@code float[]}
 * into little-endian bytes, compressed straight into a second buffer by zstd-jni (when the output
 * is compressed), and handed to a {@link FileChannel} from a direct buffer (a heap buffer passed to a channel is first copied by
 * the JDK into a temporary direct buffer as large as the write, which it then keeps per thread).
 *
 * <p>Direct (off-heap) up to {@link #DIRECT_MAX} bytes, on the heap above. The usual buffers are
 * direct: a Zarr v3 inner chunk (~4.6 MB for 3000 samples of 384 float32 channels, plus as much for
 * its compressed form; an uncompressed one goes straight into a writer's staging buffer instead),
 * a 4 MB slice of a binary tile; they are compressed direct-to-direct and
 * written as they are. A Zarr v2 chunk is a whole tile (~46 MB for 1 s of 384 float32 channels)
 * and must be compressed in one piece (the same bytes as before), and a pair of those per worker
 * does not fit the direct memory a Flink TaskManager allows (its framework off-heap budget, 128 MB
 * by default, for everything outside Flink's network buffers: with 2 slots such a job failed with
 * "Direct buffer memory"). So those live on the heap, reused like the rest, are compressed
 * array-to-array (zstd-jni pins the arrays, no copy), and go to and from files through a 1 MB direct
 * staging buffer ({@link #write}, {@link #read}).
 *
 * <p>Buffers only grow (to the size asked for), so in the steady state a tile allocates nothing
 * large. Not thread-safe: one instance per DoFn instance (as {@code TileBuffers}), or one per call
 * for a one-off write; {@link #close} frees the zstd contexts (direct buffers go with the garbage
 * collector).
 *
 * <p>The time spent inside zstd is added up here ({@link #takeEncodeTime}), so the caller can
 * report {@code encode} (zstd) and {@code write} (everything else) as separate stages.
 */
public final class WriteBuffers implements AutoCloseable {
  /** The largest buffer allocated off the heap. */
  public static final int DIRECT_MAX = 8 << 20;
  private static final int STAGING_BYTES = 1 << 20;

  private ByteBuffer raw;
  private ByteBuffer packed;
  private ByteBuffer small;
  private ByteBuffer staging;
  private ByteBuffer uncached;
  private ZstdCompressCtx compressor;
  private ZstdDecompressCtx decompressor;
  private long encodeWall;
  private long encodeCpu;

  /**
   * A little-endian buffer with position 0 and limit {@code bytes}, contents unspecified: direct
   * up to {@link #DIRECT_MAX} bytes, else on the heap.
   */
  public ByteBuffer raw(int bytes) {
    raw = fit(raw, bytes, bytes <= DIRECT_MAX);
    raw.clear().limit(bytes);
    return raw;
  }

  /**
   * A buffer for what zstd makes of {@code rawBytes} bytes (capacity at least
   * {@code compressBound(rawBytes)}), position 0, limit at its capacity; not the {@link #raw} one,
   * and direct exactly when {@code raw(rawBytes)} is.
   */
  public ByteBuffer packed(int rawBytes) {
    packed = fit(packed, Math.toIntExact(Zstd.compressBound(rawBytes)), rawBytes <= DIRECT_MAX);
    packed.clear();
    return packed;
  }

  /** A small direct little-endian buffer (e.g. a shard index), position 0, limit {@code bytes}. */
  public ByteBuffer small(int bytes) {
    small = fit(small, bytes, true);
    small.clear().limit(bytes);
    return small;
  }

  private static ByteBuffer fit(ByteBuffer b, int bytes, boolean direct) {
    if (b != null && b.capacity() >= bytes && b.isDirect() == direct) {
      return b;
    }
    // Exactly the size asked for: a sink asks for the same sizes tile after tile.
    return (direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes)).order(ByteOrder.LITTLE_ENDIAN);
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
   * Compresses {@code src}'s remaining bytes (a {@link #raw} buffer) into {@link #packed} as one
   * zstd frame at {@code level} (content size in the frame header, no checksum: what numcodecs and
   * zarrita expect) and returns that buffer with position 0 and limit at the frame's end. Leaves
   * {@code src}'s position alone. The same bytes whether the buffers are direct or not.
   */
  public ByteBuffer compress(ByteBuffer src, int level) {
    int n = src.remaining();
    ByteBuffer dst = packed(n);
    requireSameKind(src, dst);
    if (compressor == null) {
      compressor = new ZstdCompressCtx();
    }
    compressor.setLevel(level).setChecksum(false).setContentSize(true);
    StageTimes.Mark t0 = StageTimes.mark();
    int size = dst.isDirect()
        ? compressor.compressDirectByteBuffer(dst, 0, dst.capacity(), src, src.position(), n)
        : compressor.compressByteArray(dst.array(), dst.arrayOffset(), dst.capacity(),
            src.array(), src.arrayOffset() + src.position(), n);
    StageTimes.Mark t1 = StageTimes.mark();
    encodeWall += t1.wall() - t0.wall();
    encodeCpu += t1.cpu() - t0.cpu();
    dst.limit(size);
    return dst;
  }

  /**
   * The staging buffer of an {@link UncachedFileWriter} ({@link #DIRECT_MAX} bytes, aligned), kept
   * from file to file; hand back the writer's buffer with {@link #keepUncachedStaging} if it grew.
   */
  public ByteBuffer uncachedStaging() {
    if (uncached == null) {
      uncached = UncachedFileWriter.stagingBuffer(DIRECT_MAX);
    }
    return uncached;
  }

  public void keepUncachedStaging(ByteBuffer buffer) {
    uncached = buffer;
  }

  /**
   * As {@link #compress}, but the frame goes straight to {@code dst} (direct, with
   * {@code compressBound} bytes free) at its position, which advances past it; returns its size.
   */
  public int compressInto(ByteBuffer src, int level, ByteBuffer dst) {
    if (!src.isDirect() || !dst.isDirect()) {
      throw new IllegalArgumentException("compressInto works direct-to-direct");
    }
    if (compressor == null) {
      compressor = new ZstdCompressCtx();
    }
    compressor.setLevel(level).setChecksum(false).setContentSize(true);
    StageTimes.Mark t0 = StageTimes.mark();
    int at = dst.position();
    int size = compressor.compressDirectByteBuffer(dst, at, dst.limit() - at, src, src.position(), src.remaining());
    StageTimes.Mark t1 = StageTimes.mark();
    encodeWall += t1.wall() - t0.wall();
    encodeCpu += t1.cpu() - t0.cpu();
    dst.position(at + size);
    return size;
  }

  private static void requireSameKind(ByteBuffer a, ByteBuffer b) {
    if (a.isDirect() != b.isDirect() || (!a.isDirect() && (!a.hasArray() || !b.hasArray()))) {
      throw new IllegalArgumentException("zstd works direct-to-direct or array-to-array: take both buffers from here");
    }
  }

  /**
   * Decompresses the single zstd frame in {@code src}'s remaining bytes (a {@link #packed} buffer,
   * e.g. a file read into it) into {@link #raw}, which must then hold exactly
   * {@code expectedBytes}; returns false, never throws, if the bytes are not such a frame (cut
   * short, damaged, another size, trailing bytes).
   */
  public boolean decompressesTo(ByteBuffer src, int expectedBytes) {
    int at = src.position();
    int n = src.remaining();
    try {
      ByteBuffer dst = raw(expectedBytes);
      requireSameKind(src, dst);
      if (decompressor == null) {
        decompressor = new ZstdDecompressCtx();
      }
      if (src.isDirect()) {
        return Zstd.getDirectByteBufferFrameContentSize(src, at, n) == expectedBytes
            && Zstd.findDirectByteBufferFrameCompressedSize(src, at, n) == n
            && decompressor.decompressDirectByteBuffer(dst, 0, expectedBytes, src, at, n) == expectedBytes;
      }
      byte[] in = src.array();
      int from = src.arrayOffset() + at;
      return Zstd.getFrameContentSize(in, from, n) == expectedBytes
          && Zstd.findFrameCompressedSize(in, from, n) == n
          && decompressor.decompressByteArray(dst.array(), dst.arrayOffset(), expectedBytes, in, from, n)
              == expectedBytes;
    } catch (RuntimeException e) { // ZstdException: not a valid frame
      return false;
    }
  }

  /** Writes {@code src}'s remaining bytes at the channel's current position, as {@link #write(FileChannel, ByteBuffer, long)}. */
  public void write(FileChannel channel, ByteBuffer src) throws IOException {
    write(channel, src, -1);
  }

  /**
   * Writes {@code src}'s remaining bytes at {@code position} of {@code channel}; returns the
   * position after them. A heap buffer goes through the direct staging buffer, a slice at a time.
   */
  public long write(FileChannel channel, ByteBuffer src, long position) throws IOException {
    if (src.isDirect()) {
      return writeDirect(channel, src, position);
    }
    ByteBuffer stage = staging();
    while (src.hasRemaining()) {
      int n = Math.min(stage.capacity(), src.remaining());
      stage.clear();
      stage.put(src.array(), src.arrayOffset() + src.position(), n).flip();
      src.position(src.position() + n);
      position = writeDirect(channel, stage, position);
    }
    return position;
  }

  /** {@code position} negative: at the channel's current position. */
  private static long writeDirect(FileChannel channel, ByteBuffer src, long position) throws IOException {
    while (src.hasRemaining()) {
      int n = position < 0 ? channel.write(src) : channel.write(src, position);
      position = position < 0 ? position : position + n;
    }
    return position;
  }

  /**
   * Reads exactly {@code dst}'s remaining bytes from {@code position} of {@code channel}; false if
   * the file ends first. A heap buffer is filled through the direct staging buffer.
   */
  public boolean read(FileChannel channel, ByteBuffer dst, long position) throws IOException {
    ByteBuffer stage = dst.isDirect() ? null : staging();
    while (dst.hasRemaining()) {
      int n;
      if (stage == null) {
        n = channel.read(dst, position);
      } else {
        stage.clear().limit(Math.min(stage.capacity(), dst.remaining()));
        n = channel.read(stage, position);
        if (n > 0) {
          stage.flip();
          dst.put(stage);
        }
      }
      if (n < 0) {
        return false;
      }
      position += n;
    }
    return true;
  }

  private ByteBuffer staging() {
    if (staging == null) {
      staging = ByteBuffer.allocateDirect(STAGING_BYTES);
    }
    return staging;
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
    staging = null;
  }
}
