package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.WriteBuffers;

/**
 * Shards with raw inner chunks ({@link Compression#NONE}): the exact bytes on disk, the metadata
 * that declares them, Specus's reader, and the resume check.
 */
class UncompressedShardsTest {
  @TempDir Path tmp;

  /** 700 rows in shards of 400: shard 1 holds 300 valid rows, so its last inner chunk is past the end. */
  private final ShardedArrayLayout raw = ShardedArrayLayout.of(700, 6, 400, 100, ZarrDataType.FLOAT32,
      Compression.NONE, 1);

  /** Writes every shard of {@code all} with one reused set of buffers, as a worker does. */
  private static void writeAll(Path dir, ShardedArrayLayout layout, float[] all) throws IOException {
    ZarrV3.writeShardedArrayMetadata(dir, layout, Map.of());
    int cols = layout.cols();
    try (WriteBuffers buffers = new WriteBuffers()) {
      for (long s = 0; s < layout.shardCount(); s++) {
        int from = Math.toIntExact(s * layout.shardRows() * cols);
        int valid = layout.rowsInShard(s);
        long n = ShardWriter.writeSamples(dir, layout, s, Arrays.copyOfRange(all, from, from + valid * cols), valid,
            false, buffers);
        assertEquals(Files.size(dir.resolve(layout.shardKey(s))), n);
      }
    }
  }

  /**
   * The shard as the spec lays it out for inner codecs {@code [bytes(little)]}: each inner chunk's
   * little-endian values (zero-padded at the array end) back to back, then the index and its crc32c.
   */
  private static byte[] expectedShard(ShardedArrayLayout layout, float[] all, long shard) {
    int cols = layout.cols();
    int valid = layout.rowsInShard(shard);
    int chunks = layout.innerChunksPerShard();
    int stored = (valid + layout.innerRows() - 1) / layout.innerRows();
    int chunkBytes = layout.innerChunkBytes();
    ByteBuffer b = ByteBuffer.allocate(stored * chunkBytes + 16 * chunks + 4).order(ByteOrder.LITTLE_ENDIAN);
    int first = Math.toIntExact(shard * layout.shardRows() * cols);
    for (int i = 0; i < valid * cols; i++) {
      b.putFloat(4 * i, all[first + i]);
    }
    b.position(stored * chunkBytes);
    for (int k = 0; k < chunks; k++) {
      b.putLong(k < stored ? (long) k * chunkBytes : -1L).putLong(k < stored ? chunkBytes : -1L);
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), stored * chunkBytes, 16 * chunks);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  @Test
  void rawShardsHoldTheLittleEndianSamplesAndReadBack() throws IOException {
    Path dir = tmp.resolve("f32");
    float[] all = ShardRoundTripTest.values(raw.rows(), raw.cols(), 5);
    writeAll(dir, raw, all);
    for (long s = 0; s < raw.shardCount(); s++) {
      assertArrayEquals(expectedShard(raw, all, s), Files.readAllBytes(dir.resolve(raw.shardKey(s))), "shard " + s);
    }
    // Specus's own reader takes inner codecs [bytes] without zstd.
    ZarrV3Reader reader = ZarrV3Reader.open(dir);
    assertArrayEquals(all, reader.readFloats());
    assertArrayEquals(Arrays.copyOfRange(all, 395 * 6, 505 * 6), reader.readFloats(395, 110));
  }

  @Test
  void int16RawShardsReadBack() throws IOException {
    ShardedArrayLayout layout = ShardedArrayLayout.of(1000, 4, 400, 100, ZarrDataType.INT16, Compression.NONE, 1);
    Path dir = tmp.resolve("i16");
    ZarrV3.writeShardedArrayMetadata(dir, layout, Map.of());
    short[] all = new short[4000];
    for (int i = 0; i < all.length; i++) {
      all[i] = (short) (i * 37 - 20000);
    }
    for (long s = 0; s < layout.shardCount(); s++) {
      int from = (int) (s * 400 * 4);
      ShardWriter.writeShard(dir, layout, s, Arrays.copyOfRange(all, from, from + 400 * 4), layout.rowsInShard(s));
    }
    assertArrayEquals(all, ZarrV3Reader.open(dir).readShorts());
    // Shard 2 holds 200 rows: two whole chunks of 100 x 4 int16, two empty entries.
    assertEquals(2 * 800 + 16 * 4 + 4, Files.size(dir.resolve("c/2/0")));
  }

  @Test
  void innerChunksTooLargeForTheStagingBufferGoThroughThePageCacheUnchanged() throws IOException {
    // 2100 x 1000 float32 = 8.4 MB per inner chunk, more than WriteBuffers.DIRECT_MAX: the other path.
    ShardedArrayLayout layout = ShardedArrayLayout.of(2500, 1000, 2100, 2100, ZarrDataType.FLOAT32,
        Compression.NONE, 1);
    assertTrue(layout.innerChunkBytes() + 4096 > WriteBuffers.DIRECT_MAX);
    Path dir = tmp.resolve("big");
    float[] all = ShardRoundTripTest.values(layout.rows(), layout.cols(), 9);
    writeAll(dir, layout, all);
    for (long s = 0; s < layout.shardCount(); s++) {
      assertArrayEquals(expectedShard(layout, all, s), Files.readAllBytes(dir.resolve(layout.shardKey(s))),
          "shard " + s);
      assertTrue(ShardCheck.isIntact(dir, layout, s));
    }
  }

  @Test
  void theSameValuesWithAndWithoutZstd() throws IOException {
    ShardedArrayLayout zstd = ShardedArrayLayout.of(700, 6, 400, 100, ZarrDataType.FLOAT32, Compression.ZSTD, 1);
    float[] all = ShardRoundTripTest.values(700, 6, 8);
    writeAll(tmp.resolve("zstd"), zstd, all);
    writeAll(tmp.resolve("raw"), raw, all);
    assertArrayEquals(ZarrV3Reader.open(tmp.resolve("zstd")).readFloats(),
        ZarrV3Reader.open(tmp.resolve("raw")).readFloats());
    assertNotEquals(Files.size(tmp.resolve("zstd/c/0/0")), Files.size(tmp.resolve("raw/c/0/0")));
  }

  @Test
  void metadataDeclaresOnlyTheBytesCodecInside() throws IOException {
    ZarrV3.writeShardedArrayMetadata(tmp, raw, Map.of());
    JsonNode m = new ObjectMapper().readTree(tmp.resolve("zarr.json").toFile());
    assertEquals("[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}}]",
        m.at("/codecs/0/configuration/codecs").toString());
    assertEquals("[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}},{\"name\":\"crc32c\"}]",
        m.at("/codecs/0/configuration/index_codecs").toString());
  }

  @Test
  void intactRawShardsAreKeptAndDamagedOnesAreNot() throws IOException {
    Path dir = tmp.resolve("resume");
    float[] all = ShardRoundTripTest.values(raw.rows(), raw.cols(), 3);
    writeAll(dir, raw, all);
    assertTrue(ShardCheck.isIntact(dir, raw, 0));
    assertTrue(ShardCheck.isIntact(dir, raw, 1), "a partial last shard");

    Path shard = dir.resolve("c/0/0");
    byte[] bytes = Files.readAllBytes(shard);
    Files.write(shard, Arrays.copyOf(bytes, bytes.length - 1));
    assertFalse(ShardCheck.isIntact(dir, raw, 0), "cut short");
    Files.write(shard, Arrays.copyOf(bytes, 20));
    assertFalse(ShardCheck.isIntact(dir, raw, 0), "cut to a stub");

    // A shard whose index is consistent with the file (back to back, crc32c valid) but whose last
    // chunk is 8 bytes short: only the rule that a raw chunk has exactly its decoded size sees it.
    Files.write(shard, withLastChunkShortened(bytes, raw.innerChunksPerShard(), 8));
    assertFalse(ShardCheck.isIntact(dir, raw, 0), "a raw chunk shorter than an inner chunk");

    // A zstd shard of the same geometry is not a raw one.
    ShardedArrayLayout zstd = ShardedArrayLayout.of(700, 6, 400, 100, ZarrDataType.FLOAT32, Compression.ZSTD, 1);
    writeAll(tmp.resolve("zstd"), zstd, all);
    assertTrue(ShardCheck.isIntact(tmp.resolve("zstd"), zstd, 0));
    assertFalse(ShardCheck.isIntact(tmp.resolve("zstd"), raw, 0));
  }

  /** The shard with its last chunk's final {@code cut} bytes removed and the index rewritten to match. */
  private static byte[] withLastChunkShortened(byte[] shard, int chunks, int cut) {
    int indexBytes = 16 * chunks;
    int data = shard.length - indexBytes - 4;
    ByteBuffer index = ByteBuffer.wrap(Arrays.copyOfRange(shard, data, data + indexBytes)).order(ByteOrder.LITTLE_ENDIAN);
    int last = chunks - 1;
    index.putLong(16 * last + 8, index.getLong(16 * last + 8) - cut);
    CRC32C crc = new CRC32C();
    crc.update(index.array());
    ByteBuffer out = ByteBuffer.allocate(shard.length - cut).order(ByteOrder.LITTLE_ENDIAN);
    out.put(shard, 0, data - cut).put(index.array()).putInt((int) crc.getValue());
    return out.array();
  }

  @Test
  void theLayoutSaysWhetherItCompresses() throws Exception {
    ShardedArrayLayout zstd = ShardedArrayLayout.of(700, 6, 400, 100, ZarrDataType.FLOAT32);
    assertTrue(zstd.compressed());
    assertEquals(Compression.ZSTD, zstd.compression());
    assertFalse(raw.compressed());
    assertEquals(Compression.NONE, raw.compression());
    assertNotEquals(zstd, raw);
    assertTrue(raw.toString().endsWith("inner chunk 100 rows, uncompressed]"), raw.toString());
    assertTrue(zstd.toString().endsWith("inner chunk 100 rows, zstd 1]"), zstd.toString());
    // Without zstd the level writes nothing, so it does not make layouts differ.
    ShardedArrayLayout rawLevel3 = ShardedArrayLayout.of(700, 6, 400, 100, ZarrDataType.FLOAT32, Compression.NONE, 3);
    assertEquals(raw, rawLevel3);
    assertEquals(raw.hashCode(), rawLevel3.hashCode());
    assertNotEquals(zstd, ShardedArrayLayout.of(700, 6, 400, 100, ZarrDataType.FLOAT32, Compression.ZSTD, 3));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShardedArrayLayout.of(700, 6, 400, 100, ZarrDataType.FLOAT32, Compression.AUTO, 1));
    assertTrue(e.getMessage().contains("compression auto must be resolved"), e.getMessage());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(raw);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ShardedArrayLayout back = (ShardedArrayLayout) in.readObject();
      assertEquals(raw, back);
      assertFalse(back.compressed());
    }
  }

  @Test
  void autoIsNoneForFloat32AndZstdForInt16() {
    assertEquals(Compression.NONE, Compression.AUTO.resolve(ZarrDataType.FLOAT32));
    assertEquals(Compression.ZSTD, Compression.AUTO.resolve(ZarrDataType.INT16));
    assertEquals(Compression.ZSTD, Compression.ZSTD.resolve(ZarrDataType.FLOAT32));
    assertEquals(Compression.NONE, Compression.NONE.resolve(ZarrDataType.INT16));
    assertEquals(Compression.NONE, Compression.parse(" None "));
    assertEquals("compression must be one of auto, zstd, none, got 'lz4'",
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("lz4")).getMessage());
  }
}
