package org.specus.io.zarr;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.specus.io.UncachedFileWriter;
import org.specus.io.WriteBuffers;

/**
 * Writes one shard of a {@link ShardedArrayLayout} array: the file {@code c/<shardIndex>/0} holding
 * the tile's inner chunks (each {@code bytes} little-endian, then zstd unless the layout is
 * uncompressed), followed by the shard index ({@code (offset, nbytes)} uint64 LE per inner chunk in
 * C order) and the index's crc32c.
 *
 * <p>Streaming: one inner chunk is encoded and written at a time, so memory is two inner-chunk
 * buffers whatever the shard or array size. Each inner chunk's samples are copied once: compressed,
 * from the caller's array into a direct buffer that zstd reads, direct-to-direct, into the staging
 * buffer of an {@link UncachedFileWriter}; uncompressed, from the caller's array straight into that
 * staging buffer. An inner chunk too large for {@link WriteBuffers#DIRECT_MAX} goes through the page
 * cache with {@link WriteBuffers}' buffers instead. No {@code byte[]} copy and no temporary JDK
 * buffer is made on the way. The shard goes to a hidden temporary file in the same
 * directory, is optionally fsynced, and is renamed atomically onto its key, so a crash or a failed
 * bundle never leaves a half shard where readers look, and a retried bundle simply replaces it.
 * Stateless apart from the buffers, hence safe for concurrent calls writing different shards with
 * different buffers.
 */
public final class ShardWriter {
  /** Index entry of an inner chunk that holds no data (entirely past the array end). */
  private static final long EMPTY = -1L; // 2^64 - 1 as an unsigned 64-bit value

  private ShardWriter() {}

  /** {@link #writeShard(Path, ShardedArrayLayout, long, float[], int, boolean)} with fsync. */
  public static long writeShard(
      Path arrayDir, ShardedArrayLayout layout, long shardIndex, float[] data, int validRows)
      throws IOException {
    return writeShard(arrayDir, layout, shardIndex, data, validRows, true);
  }

  /**
   * Writes the shard of a float32 array, with buffers of its own (a one-off write; a worker that
   * writes shard after shard passes its reused buffers to {@link #writeSamples}).
   *
   * @param data sample-major values of the shard's valid rows: {@code data[r * cols + c]} is row
   *     {@code shardIndex * shardRows + r}, channel {@code c}; at least {@code validRows * cols}
   *     long (a longer, reused tile buffer is fine; the excess is ignored)
   * @param validRows rows of this shard inside the array: {@code shardRows}, or fewer for the last
   *     shard. Must equal {@link ShardedArrayLayout#rowsInShard}, to catch tiling mistakes early.
   * @param fsync force the data to disk before the rename, so the shard survives a power loss
   * @return bytes written (the shard file's size)
   */
  public static long writeShard(
      Path arrayDir,
      ShardedArrayLayout layout,
      long shardIndex,
      float[] data,
      int validRows,
      boolean fsync)
      throws IOException {
    requireType(layout, ZarrDataType.FLOAT32, "float[]");
    try (WriteBuffers buffers = new WriteBuffers()) {
      return writeSamples(arrayDir, layout, shardIndex, data, validRows, fsync, buffers);
    }
  }

  /**
   * Writes the shard from float samples, stored as the array's data type: float32 as they are, or
   * int16 rounded half to even and saturated ({@link WriteBuffers#toInt16}). Same contract as
   * {@link #writeShard(Path, ShardedArrayLayout, long, float[], int, boolean)}; {@code buffers} are
   * reused from call to call, so a worker allocates nothing shard-sized.
   */
  public static long writeSamples(
      Path arrayDir,
      ShardedArrayLayout layout,
      long shardIndex,
      float[] data,
      int validRows,
      boolean fsync,
      WriteBuffers buffers)
      throws IOException {
    boolean int16 = layout.dataType() == ZarrDataType.INT16;
    if (!int16) {
      requireType(layout, ZarrDataType.FLOAT32, "float[]");
    }
    requireLength(layout, data.length, validRows);
    return write(
        arrayDir, layout, shardIndex, validRows, fsync, buffers,
        (le, from, count) -> WriteBuffers.putSamples(le, data, from, count, int16));
  }

  /** {@link #writeShard(Path, ShardedArrayLayout, long, short[], int, boolean)} with fsync. */
  public static long writeShard(
      Path arrayDir, ShardedArrayLayout layout, long shardIndex, short[] data, int validRows)
      throws IOException {
    return writeShard(arrayDir, layout, shardIndex, data, validRows, true);
  }

  /** Writes the shard of an int16 array; same contract as the float32 overload. */
  public static long writeShard(
      Path arrayDir,
      ShardedArrayLayout layout,
      long shardIndex,
      short[] data,
      int validRows,
      boolean fsync)
      throws IOException {
    requireType(layout, ZarrDataType.INT16, "short[]");
    requireLength(layout, data.length, validRows);
    try (WriteBuffers buffers = new WriteBuffers()) {
      return write(
          arrayDir, layout, shardIndex, validRows, fsync, buffers,
          (le, from, count) -> WriteBuffers.putSamples(le, data, from, count));
    }
  }

  /** Puts {@code count} elements starting at element {@code from} at a little-endian buffer's position. */
  @FunctionalInterface
  private interface ElementCopier {
    void copy(ByteBuffer littleEndian, int from, int count);
  }

  private static long write(
      Path arrayDir,
      ShardedArrayLayout layout,
      long shardIndex,
      int validRows,
      boolean fsync,
      WriteBuffers buffers,
      ElementCopier copier)
      throws IOException {
    int expectedRows = layout.rowsInShard(shardIndex); // also range-checks shardIndex
    if (validRows != expectedRows) {
      throw new IllegalArgumentException(
          "shard " + shardIndex + " of " + layout + " has " + expectedRows
              + " rows inside the array, but validRows = " + validRows);
    }
    Path target = arrayDir.resolve(layout.shardKey(shardIndex));
    Path tmp = AtomicFiles.temporarySibling(target);
    boolean committed = false;
    try {
      int chunkBytes = layout.innerChunkBytes();
      boolean zstd = layout.compressed();
      int storedBound = zstd ? Math.toIntExact(Zstd.compressBound(chunkBytes)) : chunkBytes;
      long size;
      if ((long) storedBound + UncachedFileWriter.ALIGN <= WriteBuffers.DIRECT_MAX) {
        // The usual path: chunks go straight into the staging buffer of an UncachedFileWriter
        // (compressed into it, or put there as they are), so the shard reaches the disk without the
        // page cache (see there why).
        Files.createDirectories(tmp.getParent());
        try (UncachedFileWriter out = UncachedFileWriter.create(tmp, buffers.uncachedStaging())) {
          size = fill(layout, validRows, buffers, copier, new ShardOut() {
            public ByteBuffer open(int bytes) throws IOException {
              if (zstd) {
                return buffers.raw(bytes);
              }
              ByteBuffer staging = out.reserve(bytes);
              return staging.limit(staging.position() + bytes);
            }

            public int close(ByteBuffer filled) throws IOException {
              if (!zstd) {
                return chunkBytes; // already in place: the staging buffer's position is past it
              }
              filled.flip();
              return buffers.compressInto(filled, layout.zstdLevel(), out.reserve(storedBound));
            }

            public void index(ByteBuffer index) throws IOException {
              out.reserve(index.remaining()).put(index);
            }
          });
          out.finish(fsync);
          buffers.keepUncachedStaging(out.staging());
        }
      } else {
        // Chunks too large for the direct staging buffer: through the page cache, a chunk at a time.
        try (FileChannel out = AtomicFiles.openChannel(tmp)) {
          size = fill(layout, validRows, buffers, copier, new ShardOut() {
            public ByteBuffer open(int bytes) {
              return buffers.raw(bytes);
            }

            public int close(ByteBuffer filled) throws IOException {
              filled.flip();
              ByteBuffer stored = zstd ? buffers.compress(filled, layout.zstdLevel()) : filled;
              int n = stored.remaining();
              buffers.write(out, stored);
              return n;
            }

            public void index(ByteBuffer index) throws IOException {
              buffers.write(out, index);
            }
          });
          if (fsync) {
            out.force(true);
          }
        }
      }
      AtomicFiles.commit(tmp, target);
      committed = true;
      return size;
    } finally {
      if (!committed) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Where a shard's bytes go, front to back. */
  private interface ShardOut {
    /**
     * A little-endian buffer for the next inner chunk's raw bytes: they go from its position up to
     * its limit, exactly {@code bytes} further.
     */
    ByteBuffer open(int bytes) throws IOException;

    /** Stores the inner chunk just put into the buffer {@link #open} gave (now at its limit); returns its stored size. */
    int close(ByteBuffer filled) throws IOException;

    void index(ByteBuffer index) throws IOException;
  }

  /** The shard's chunks, then its index (filled as chunks are stored; the last thing in the file); returns the shard's size. */
  private static long fill(ShardedArrayLayout layout, int validRows, WriteBuffers buffers, ElementCopier copier,
      ShardOut out) throws IOException {
    int cols = layout.cols();
    int innerRows = layout.innerRows();
    int chunks = layout.innerChunksPerShard();
    int indexBytes = 16 * chunks;
    ByteBuffer index = buffers.small(indexBytes + 4);
    long offset = 0;
    for (int k = 0; k < chunks; k++) {
      int firstRow = k * innerRows;
      if (firstRow >= validRows) {
        index.putLong(EMPTY).putLong(EMPTY); // past the array end: nothing stored
        continue;
      }
      int rows = Math.min(innerRows, validRows - firstRow);
      ByteBuffer raw = out.open(layout.innerChunkBytes());
      copier.copy(raw, firstRow * cols, rows * cols);
      WriteBuffers.zeroToLimit(raw); // edge chunks are stored at full size; the fill value 0 is all-zero bytes
      int n = out.close(raw); // zstd: content size in the frame header lets readers (zarrita/numcodecs) size their output
      index.putLong(offset).putLong(n);
      offset += n;
    }
    CRC32C crc = new CRC32C();
    index.flip();
    crc.update(index);
    index.limit(indexBytes + 4).putInt(indexBytes, (int) crc.getValue()).position(0);
    out.index(index);
    return offset + indexBytes + 4;
  }

  private static void requireType(ShardedArrayLayout layout, ZarrDataType type, String javaType) {
    if (layout.dataType() != type) {
      throw new IllegalArgumentException(
          "cannot write " + javaType + " data into an array of data type "
              + layout.dataType().zarrName() + " (" + layout + ")");
    }
  }

  private static void requireLength(ShardedArrayLayout layout, int length, int validRows) {
    if (validRows < 0 || (long) validRows * layout.cols() > length) {
      throw new IllegalArgumentException(
          "data has " + length + " values, fewer than validRows x cols = " + validRows + " x "
              + layout.cols());
    }
  }
}
