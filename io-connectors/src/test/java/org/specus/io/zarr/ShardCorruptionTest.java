package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader must refuse damaged stores loudly, naming the file. */
class ShardCorruptionTest {
  @TempDir Path tmp;

  private Path writeTwoShards() throws IOException {
    ShardedArrayLayout layout = ShardedArrayLayout.of(700, 6, 400, 100, ZarrDataType.FLOAT32);
    Path dir = tmp.resolve("traces");
    ZarrV3.writeShardedArrayMetadata(dir, layout, Map.of());
    float[] tile = new float[400 * 6];
    for (int i = 0; i < tile.length; i++) {
      tile[i] = i * 0.5f;
    }
    ShardWriter.writeShard(dir, layout, 0, tile, 400);
    ShardWriter.writeShard(dir, layout, 1, tile, 300);
    return dir;
  }

  @Test
  void flippedIndexByteIsACrcMismatch() throws IOException {
    Path dir = writeTwoShards();
    Path shard = dir.resolve("c/1/0");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length - 4 - 16 * 4 + 3] ^= 0x10; // inside the first index entry
    Files.write(shard, bytes);

    ZarrV3Reader reader = ZarrV3Reader.open(dir);
    IOException e = assertThrows(IOException.class, reader::readFloats);
    assertTrue(e.getMessage().contains("crc32c mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(shard.toString()), e.getMessage());
    // Shard 0 is intact and still readable on its own.
    reader.readFloats(0, 400);
  }

  @Test
  void truncatedShardIsReported() throws IOException {
    Path dir = writeTwoShards();
    Path shard = dir.resolve("c/0/0");
    Files.write(shard, new byte[10]);
    IOException e = assertThrows(IOException.class, () -> ZarrV3Reader.open(dir).readFloats());
    assertTrue(e.getMessage().contains(shard.toString()) && e.getMessage().contains("index"),
        e.getMessage());
  }

  @Test
  void malformedMetadataIsReported() throws IOException {
    Path dir = writeTwoShards();
    Path meta = dir.resolve("zarr.json");
    Files.writeString(meta, "{\"zarr_format\": 3, \"node_type\": \"array\"");
    IOException e = assertThrows(IOException.class, () -> ZarrV3Reader.open(dir));
    assertTrue(e.getMessage().contains(meta.toString()), e.getMessage());

    Files.writeString(meta, "{\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": [4],"
        + " \"data_type\": \"complex64\"}");
    IllegalArgumentException iae =
        assertThrows(IllegalArgumentException.class, () -> ZarrV3Reader.open(dir));
    assertTrue(iae.getMessage().contains(meta.toString())
        && iae.getMessage().contains("complex64"), iae.getMessage());

    IOException missing = assertThrows(IOException.class,
        () -> ZarrV3Reader.open(tmp.resolve("nowhere")));
    assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());
  }
}
