package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes sharded arrays with {@link ShardWriter} and reads them back with {@link ZarrV3Reader}. */
class ShardRoundTripTest {
  @TempDir Path tmp;

  /** Whole-array values: Gaussian noise, so every bit pattern differs and compression is real. */
  static float[] values(long rows, int cols, long seed) {
    Random r = new Random(seed);
    float[] v = new float[Math.toIntExact(rows * cols)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * 100);
    }
    return v;
  }

  /** Writes every shard of {@code all} (concurrently, as Beam workers would). */
  private static void writeAll(Path dir, ShardedArrayLayout layout, float[] all) throws IOException {
    ZarrV3.writeShardedArrayMetadata(dir, layout, Map.of("units", "uV"));
    int cols = layout.cols();
    LongStream.range(0, layout.shardCount()).parallel().forEach(s -> {
      int valid = layout.rowsInShard(s);
      int from = Math.toIntExact(s * layout.shardRows() * cols);
      float[] tile = Arrays.copyOfRange(all, from, from + valid * cols);
      try {
        long n = ShardWriter.writeShard(dir, layout, s, tile, valid, false);
        assertEquals(Files.size(dir.resolve(layout.shardKey(s))), n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Test
  void roundTripWithPartialLastShard() throws IOException {
    // 4 inner chunks per shard; the last shard has 430 rows: 2 full inner chunks, one partial
    // (130 of 150 rows), one entirely past the end. 2830 is a multiple of neither 600 nor 150.
    checkRoundTrip(ShardedArrayLayout.of(2830, 7, 600, 150, ZarrDataType.FLOAT32));
    // Last shard of 37 rows: a single partial inner chunk, three empty index entries.
    checkRoundTrip(ShardedArrayLayout.of(2437, 5, 600, 150, ZarrDataType.FLOAT32));
    // A single shard larger than the array, and inner chunk = shard.
    checkRoundTrip(ShardedArrayLayout.of(99, 3, 128, 128, ZarrDataType.FLOAT32));
  }

  private void checkRoundTrip(ShardedArrayLayout layout) throws IOException {
    Path dir = tmp.resolve("a" + layout.rows());
    float[] all = values(layout.rows(), layout.cols(), layout.rows());
    writeAll(dir, layout, all);

    ZarrV3Reader reader = ZarrV3Reader.open(dir);
    assertArrayEquals(new long[] {layout.rows(), layout.cols()}, reader.shape());
    assertEquals("float32", reader.dataTypeName());
    assertTrue(reader.isSharded());
    assertEquals("uV", reader.attributes().get("units"));
    assertArrayEquals(all, reader.readFloats());

    // Row ranges that start and end inside inner chunks and cross a shard boundary.
    int cols = layout.cols();
    long[][] ranges = {{0, 1}, {149, 3}, {595, 11}, {layout.rows() - 7, 7}, {10, 0}};
    for (long[] r : ranges) {
      if (r[0] + r[1] > layout.rows()) {
        continue;
      }
      float[] expected =
          Arrays.copyOfRange(all, (int) (r[0] * cols), (int) ((r[0] + r[1]) * cols));
      assertArrayEquals(expected, reader.readFloats(r[0], (int) r[1]), Arrays.toString(r));
    }
    assertThrows(IllegalArgumentException.class, () -> reader.readFloats(layout.rows() - 1, 2));
    assertThrows(IllegalArgumentException.class, reader::readDoubles);

    // No temporary files are left behind.
    try (Stream<Path> files = Files.walk(dir)) {
      List<String> tmpFiles = files.map(p -> p.getFileName().toString())
          .filter(n -> n.contains(".tmp-")).collect(Collectors.toList());
      assertEquals(List.of(), tmpFiles);
    }
  }

  @Test
  void lastShardIndexMarksChunksPastTheEndAsEmpty() throws IOException {
    ShardedArrayLayout layout = ShardedArrayLayout.of(2437, 5, 600, 150, ZarrDataType.FLOAT32);
    Path dir = tmp.resolve("idx");
    writeAll(dir, layout, values(layout.rows(), layout.cols(), 3));
    byte[] shard = Files.readAllBytes(dir.resolve("c/4/0"));
    ByteBuffer index = ByteBuffer.wrap(shard, shard.length - 4 * 16 - 4, 4 * 16)
        .slice().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0L, index.getLong(0));
    assertEquals(shard.length - 68L, index.getLong(8)); // the only stored chunk fills the data
    for (int k = 1; k < 4; k++) {
      assertEquals(-1L, index.getLong(16 * k), "offset of empty chunk " + k);
      assertEquals(-1L, index.getLong(16 * k + 8), "nbytes of empty chunk " + k);
    }
  }

  @Test
  void int16RoundTripAndRewriteReplacesShard() throws IOException {
    ShardedArrayLayout layout = ShardedArrayLayout.of(1000, 4, 400, 100, ZarrDataType.INT16);
    Path dir = tmp.resolve("i16");
    ZarrV3.writeShardedArrayMetadata(dir, layout, null);
    short[] all = new short[4000];
    for (int i = 0; i < all.length; i++) {
      all[i] = (short) (i * 37 - 20000);
    }
    for (long s = 0; s < layout.shardCount(); s++) {
      int from = (int) (s * 400 * 4);
      int valid = layout.rowsInShard(s);
      // A reused full-size tile buffer may be longer than validRows * cols.
      short[] tile = Arrays.copyOfRange(all, from, from + 400 * 4);
      ShardWriter.writeShard(dir, layout, s, tile, valid);
    }
    assertArrayEquals(all, ZarrV3Reader.open(dir).readShorts());

    // A retried bundle rewrites a shard in place.
    short[] zeros = new short[400 * 4];
    ShardWriter.writeShard(dir, layout, 1, zeros, 400);
    short[] expected = all.clone();
    Arrays.fill(expected, 1600, 3200, (short) 0);
    assertArrayEquals(expected, ZarrV3Reader.open(dir).readShorts());
  }

  @Test
  void writerRejectsMismatchedInput() {
    ShardedArrayLayout layout = ShardedArrayLayout.of(1000, 4, 400, 100, ZarrDataType.FLOAT32);
    Path dir = tmp.resolve("bad");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShardWriter.writeShard(dir, layout, 2, new float[400 * 4], 400));
    assertTrue(e.getMessage().contains("200 rows inside the array"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ShardWriter.writeShard(dir, layout, 3, new float[400 * 4], 400));
    assertTrue(e.getMessage().contains("shard index 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ShardWriter.writeShard(dir, layout, 0, new float[10], 400));
    assertTrue(e.getMessage().contains("fewer than validRows"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ShardWriter.writeShard(dir, layout, 0, new short[1600], 400));
    assertTrue(e.getMessage().contains("float32"), e.getMessage());
  }

  @Test
  void smallArraysRoundTrip() throws IOException {
    double[] d = {1.5, -2.25, Math.PI, 1e-300, Double.MAX_VALUE, 0};
    ZarrV3.writeArray(tmp.resolve("d"), d, new long[] {2, 3}, Map.of());
    float[] f = {1.5f, -7f, 3.25f};
    ZarrV3.writeArray(tmp.resolve("f"), f, new long[] {3}, Map.of());
    int[] i = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 42};
    ZarrV3.writeArray(tmp.resolve("i"), i, new long[] {6}, Map.of());
    String[] s = {"imec0.ap#AP0", "ünïcødé", "", "x"};
    ZarrV3.writeStringArray(tmp.resolve("s"), s, Map.of("k", 1));
    ZarrV3.writeArray(tmp.resolve("empty"), new int[0], new long[] {0}, Map.of());

    assertArrayEquals(d, ZarrV3Reader.open(tmp.resolve("d")).readDoubles());
    assertArrayEquals(new long[] {2, 3}, ZarrV3Reader.open(tmp.resolve("d")).shape());
    assertArrayEquals(new double[] {-2.25, Math.PI, 1e-300, Double.MAX_VALUE},
        Arrays.copyOfRange(ZarrV3Reader.open(tmp.resolve("d")).readDoubles(), 1, 5));
    assertArrayEquals(new double[] {1e-300, Double.MAX_VALUE, 0},
        ZarrV3Reader.open(tmp.resolve("d")).readDoubles(1, 1));
    assertArrayEquals(f, ZarrV3Reader.open(tmp.resolve("f")).readFloats());
    assertArrayEquals(i, ZarrV3Reader.open(tmp.resolve("i")).readInts());
    assertArrayEquals(s, ZarrV3Reader.open(tmp.resolve("s")).readStrings());
    assertEquals(Map.of("k", 1), ZarrV3Reader.readAttributes(tmp.resolve("s")));
    assertArrayEquals(new int[0], ZarrV3Reader.open(tmp.resolve("empty")).readInts());
    ZarrV3.writeStringArray(tmp.resolve("s2"), List.of("a", "b"), Map.of());
    assertArrayEquals(new String[] {"a", "b"}, ZarrV3Reader.open(tmp.resolve("s2")).readStrings());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ZarrV3.writeArray(tmp.resolve("x"), new int[5], new long[] {2, 3}, Map.of()));
    assertTrue(e.getMessage().contains("holds 6 elements but 5"), e.getMessage());
  }
}
