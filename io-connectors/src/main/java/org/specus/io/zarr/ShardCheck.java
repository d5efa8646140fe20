package org.specus.io.zarr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Whether a shard under its final key is one that {@link ShardWriter} finished for a given layout,
 * so that a resumed run can keep it instead of computing the tile again.
 *
 * <p>Cheap by design: it reads only the shard's index (16 bytes per inner chunk plus the crc32c),
 * never the chunks. It checks that the index decodes with a valid crc32c, that every inner chunk
 * inside the array is present and every one past the array end is empty, that an uncompressed
 * layout's chunks are each exactly {@link ShardedArrayLayout#innerChunkBytes} long, and that the
 * chunks lie back to back from offset 0 up to the index, exactly filling the file. A shard cut
 * short, one written for another geometry, or one whose index is damaged fails. Flipped bits inside
 * the chunks are not detected here (that would cost a full read, and a decode for zstd). Shards
 * reach their key only by an atomic rename, so a shard that a killed run left half-written never
 * sits there. The sink does not fsync a shard before that rename ({@link DurableShards} forces them
 * all before the completion marker), so after a power loss a shard's data could in principle be
 * lost while its name and index survive; shards written past the page cache
 * ({@code UncachedFileWriter}, the default where the file system allows it) have reached the device
 * before the rename is issued.
 */
public final class ShardCheck {
  private static final long EMPTY = -1L; // 2^64 - 1 as an unsigned 64-bit value

  private ShardCheck() {}

  /** True if {@code arrayDir/c/<shardIndex>/0} is a complete, consistent shard of {@code layout}. */
  public static boolean isIntact(Path arrayDir, ShardedArrayLayout layout, long shardIndex) {
    Path file = arrayDir.resolve(layout.shardKey(shardIndex));
    int validRows = layout.rowsInShard(shardIndex);
    int chunks = layout.innerChunksPerShard();
    int indexBytes = 16 * chunks + 4;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < indexBytes) {
        return false;
      }
      ByteBuffer index = ByteBuffer.allocate(indexBytes).order(ByteOrder.LITTLE_ENDIAN);
      long pos = size - indexBytes;
      while (index.hasRemaining()) {
        if (ch.read(index, pos + index.position()) < 0) {
          return false;
        }
      }
      CRC32C crc = new CRC32C();
      crc.update(index.array(), 0, indexBytes - 4);
      if (index.getInt(indexBytes - 4) != (int) crc.getValue()) {
        return false;
      }
      long expectedOffset = 0;
      for (int k = 0; k < chunks; k++) {
        long offset = index.getLong(16 * k);
        long nbytes = index.getLong(16 * k + 8);
        boolean inside = (long) k * layout.innerRows() < validRows;
        if (!inside) {
          if (offset != EMPTY || nbytes != EMPTY) {
            return false;
          }
          continue;
        }
        if (offset != expectedOffset || nbytes <= 0 || nbytes > size) {
          return false;
        }
        if (!layout.compressed() && nbytes != layout.innerChunkBytes()) {
          return false; // a raw chunk is always whole, edge chunks padded
        }
        expectedOffset += nbytes;
      }
      return expectedOffset == size - indexBytes;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return false; // unreadable: compute it again, and let the write report a real problem
    }
  }
}
