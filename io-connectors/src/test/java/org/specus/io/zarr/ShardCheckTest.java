package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run keeps exactly the shards ShardWriter finished for the same layout. */
class ShardCheckTest {
  @TempDir Path tmp;

  // 700 rows: shard 1 holds 300 valid rows, so its last inner chunk is empty (past the array end).
  private final ShardedArrayLayout layout = ShardedArrayLayout.of(700, 6, 400, 100, ZarrDataType.FLOAT32);

  private Path writeTwoShards() throws IOException {
    Path dir = tmp.resolve("traces");
    float[] tile = new float[400 * 6];
    for (int i = 0; i < tile.length; i++) {
      tile[i] = (float) Math.sin(i * 0.37) * 100;
    }
    ShardWriter.writeShard(dir, layout, 0, tile, 400);
    ShardWriter.writeShard(dir, layout, 1, tile, 300);
    return dir;
  }

  @Test
  void finishedShardsAreIntactIncludingAPartialLastOne() throws IOException {
    Path dir = writeTwoShards();
    assertTrue(ShardCheck.isIntact(dir, layout, 0));
    assertTrue(ShardCheck.isIntact(dir, layout, 1));
  }

  @Test
  void aMissingShardIsNotIntact() throws IOException {
    Path dir = writeTwoShards();
    Files.delete(dir.resolve("c/1/0"));
    assertFalse(ShardCheck.isIntact(dir, layout, 1));
  }

  @Test
  void aDamagedIndexIsNotIntact() throws IOException {
    Path dir = writeTwoShards();
    Path shard = dir.resolve("c/0/0");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length - 4 - 16 * 4 + 1] ^= 0x01; // inside the first index entry
    Files.write(shard, bytes);
    assertFalse(ShardCheck.isIntact(dir, layout, 0));
  }

  @Test
  void aShardWithBytesMissingOrAddedIsNotIntact() throws IOException {
    Path dir = writeTwoShards();
    Path shard = dir.resolve("c/0/0");
    byte[] bytes = Files.readAllBytes(shard);
    // Drop one data byte in front of an intact index: the index no longer fits the file.
    byte[] shorter = new byte[bytes.length - 1];
    System.arraycopy(bytes, 1, shorter, 0, shorter.length);
    Files.write(shard, shorter);
    assertFalse(ShardCheck.isIntact(dir, layout, 0));
    // An extra byte in front, likewise.
    byte[] longer = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, longer, 1, bytes.length);
    Files.write(shard, longer);
    assertFalse(ShardCheck.isIntact(dir, layout, 0));
    Files.write(shard, Arrays.copyOf(bytes, 20));
    assertFalse(ShardCheck.isIntact(dir, layout, 0));
  }

  @Test
  void aShardOfAnotherGeometryIsNotIntact() throws IOException {
    Path dir = writeTwoShards();
    // Same shard length, other inner chunking: the index has another number of entries.
    ShardedArrayLayout other = ShardedArrayLayout.of(700, 6, 400, 200, ZarrDataType.FLOAT32);
    assertFalse(ShardCheck.isIntact(dir, other, 0));
    // Same chunking but a longer array: shard 1 should have held 400 rows, not 300.
    ShardedArrayLayout longer = ShardedArrayLayout.of(800, 6, 400, 100, ZarrDataType.FLOAT32);
    assertFalse(ShardCheck.isIntact(dir, longer, 1));
  }
}
