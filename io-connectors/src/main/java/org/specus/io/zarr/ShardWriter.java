package org.specus.io.zarr;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.specus.io.StageTimes;

/**
 * Writes one shard of a {@link ShardedArrayLayout} array: the file {@code c/<shardIndex>/0} holding
 * the tile's inner chunks (each {@code bytes} little-endian then zstd), followed by the shard index
 * ({@code (offset, nbytes)} uint64 LE per inner chunk in C order) and the index's crc32c.
 *
 * <p>Streaming: one inner chunk is encoded and written at a time, so memory is two inner-chunk
 * buffers per call whatever the shard or array size. The shard goes to a hidden temporary file in
 * the same directory, is optionally fsynced, and is renamed atomically onto its key, so a crash or a
 * failed bundle never leaves a half shard where readers look, and a retried bundle simply replaces
 * it. Stateless, hence safe for concurrent calls writing different shards.
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
   * Writes the shard of a float32 array.
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
    requireLength(layout, data.length, validRows);
    return write(
        arrayDir, layout, shardIndex, validRows, fsync,
        (le, from, count) -> le.asFloatBuffer().put(data, from, count));
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
    return write(
        arrayDir, layout, shardIndex, validRows, fsync,
        (le, from, count) -> le.asShortBuffer().put(data, from, count));
  }

  /** Copies {@code count} elements starting at element {@code from} into a little-endian buffer. */
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
      ElementCopier copier)
      throws IOException {
    int expectedRows = layout.rowsInShard(shardIndex); // also range-checks shardIndex
    if (validRows != expectedRows) {
      throw new IllegalArgumentException(
          "shard " + shardIndex + " of " + layout + " has " + expectedRows
              + " rows inside the array, but validRows = " + validRows);
    }
    int cols = layout.cols();
    int innerRows = layout.innerRows();
    int chunks = layout.innerChunksPerShard();
    int elementBytes = layout.dataType().byteSize();
    int chunkBytes = layout.innerChunkBytes();

    // Per-thread buffers of one inner chunk each (reused: a worker writes shard after shard, and
    // a fresh ~5 MB array per shard is a humongous allocation for G1): independent of the shard count.
    Scratch scratch = SCRATCH.get().sized(chunkBytes);
    byte[] raw = scratch.raw;
    ByteBuffer rawLe = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    byte[] packed = scratch.packed;
    ByteBuffer index = ByteBuffer.allocate(16 * chunks + 4).order(ByteOrder.LITTLE_ENDIAN);
    long encodeNanos = 0;
    long encodeCpu = 0;
    StageTimes.Mark t0 = StageTimes.mark();

    Path target = arrayDir.resolve(layout.shardKey(shardIndex));
    Path tmp = AtomicFiles.temporarySibling(target);
    boolean committed = false;
    try {
      long offset = 0;
      try (FileOutputStream out = AtomicFiles.open(tmp)) {
        ZstdCompressCtx zstd = scratch.zstd;
        // Content size in the frame header lets readers (zarrita/numcodecs) size their output.
        zstd.setLevel(layout.zstdLevel()).setChecksum(false).setContentSize(true);
        for (int k = 0; k < chunks; k++) {
          int firstRow = k * innerRows;
          if (firstRow >= validRows) {
            index.putLong(EMPTY).putLong(EMPTY); // past the array end: nothing stored
            continue;
          }
          int rows = Math.min(innerRows, validRows - firstRow);
          int count = rows * cols;
          rawLe.clear();
          copier.copy(rawLe, firstRow * cols, count);
          if (rows < innerRows) {
            // Edge chunks are stored at full size; the fill value 0 is all-zero bytes.
            Arrays.fill(raw, count * elementBytes, chunkBytes, (byte) 0);
          }
          StageTimes.Mark e0 = StageTimes.mark();
          int n = zstd.compressByteArray(packed, 0, packed.length, raw, 0, chunkBytes);
          StageTimes.Mark e1 = StageTimes.mark();
          encodeNanos += e1.wall() - e0.wall();
          encodeCpu += e1.cpu() - e0.cpu();
          out.write(packed, 0, n);
          index.putLong(offset).putLong(n);
          offset += n;
        }
        CRC32C crc = new CRC32C();
        crc.update(index.array(), 0, 16 * chunks);
        index.putInt((int) crc.getValue());
        out.write(index.array(), 0, index.position());
        if (fsync) {
          out.getFD().sync();
        }
      }
      AtomicFiles.commit(tmp, target);
      committed = true;
      StageTimes.Mark t1 = StageTimes.mark();
      StageTimes.add("main.encode", encodeNanos, encodeCpu);
      StageTimes.add("main.write", t1.wall() - t0.wall() - encodeNanos, t1.cpu() - t0.cpu() - encodeCpu);
      return offset + index.capacity();
    } finally {
      if (!committed) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** One thread's chunk buffers and zstd context. */
  private static final class Scratch {
    byte[] raw = new byte[0];
    byte[] packed = new byte[0];
    final ZstdCompressCtx zstd = new ZstdCompressCtx();

    Scratch sized(int chunkBytes) {
      if (raw.length != chunkBytes) {
        raw = new byte[chunkBytes];
        packed = new byte[Math.toIntExact(Zstd.compressBound(chunkBytes))];
      }
      return this;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
