package org.specus.io.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import org.specus.io.WriteBuffers;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.zarr.Compression;
import org.specus.io.zarr.ShardWriter;
import org.specus.io.zarr.ShardedArrayLayout;
import org.specus.io.zarr.ZarrDataType;
import org.specus.io.zarr.ZarrV3Reader;

/**
 * Each format's writer: the bytes it writes, and which tiles it says an interrupted run left
 * intact. A writer must never call a tile intact that is missing, cut short, damaged or of another
 * geometry.
 */
class TileWritersTest {
  static final long SAMPLES = 2500; // three tiles of 1000; the last holds 500 samples
  static final int CH = 5;
  static final int TILE = 1000;
  @TempDir Path tmp;

  static float[] tile(long index) {
    Random r = new Random(index);
    float[] v = new float[TILE * CH + 17]; // a reused tile buffer may be longer than the tile
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * 300);
    }
    return v;
  }

  static int rows(long index) {
    return (int) Math.min(TILE, SAMPLES - index * TILE);
  }

  static void writeAll(TileWriter w, WriteBuffers buffers, long... tiles) throws IOException {
    for (long t : tiles) {
      w.write(t, t * TILE, tile(t), rows(t), buffers);
    }
  }

  static RecordingInfo recording() {
    return new RecordingInfo("/rec.bin", "raw", 30000.0, SAMPLES, CH, List.of("a", "b", "c", "d", "e"),
        new double[] {1, 1, 1, 1, 1}, null, "fp");
  }

  static void cut(Path file, long bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() - bytes);
    }
  }

  /**
   * With shards 0–2 of a Zarr v3 output written: each is intact at its size; after shard 1 is cut
   * short and shard 2 deleted only shard 0 still is; then shards 1 and 2 are written again.
   */
  /** The Zarr v3 array at {@code traces} holds tiles 0, 1 and 2 as written, the short last one cropped. */
  private static void assertHoldsTheThreeTiles(Path traces) throws IOException {
    float[] all = ZarrV3Reader.open(traces).readFloats();
    for (long t = 0; t < 3; t++) {
      assertArrayEquals(Arrays.copyOf(tile(t), rows(t) * CH),
          Arrays.copyOfRange(all, (int) (t * TILE * CH), (int) (t * TILE * CH + rows(t) * CH)));
    }
  }

  static void damageAndRewrite(ZarrV3Writer w, Path traces, WriteBuffers buffers) throws IOException {
    for (long t = 0; t < 3; t++) {
      assertEquals(OptionalLong.of(Files.size(traces.resolve("c/" + t + "/0"))), w.intact(t, buffers));
    }
    cut(traces.resolve("c/1/0"), 1);
    Files.delete(traces.resolve("c/2/0"));
    assertTrue(w.intact(0, buffers).isPresent());
    assertFalse(w.intact(1, buffers).isPresent(), "cut short");
    assertFalse(w.intact(2, buffers).isPresent(), "missing");
    writeAll(w, buffers, 1, 2);
  }

  static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x10);
    }
  }

  @Test
  void zarrV3KeepsShardsWhoseIndexIsIntact() throws IOException {
    Path root = tmp.resolve("v3.zarr");
    ZarrV3Writer w = new ZarrV3Writer(root, SAMPLES, CH, TILE, 300, Compression.ZSTD, 1, SampleEncoding.float32());
    assertEquals(250, w.layout().innerRows(), "300 lowered to a divisor of the tile");
    try (WriteBuffers buffers = new WriteBuffers()) {
      assertFalse(w.intact(0, buffers).isPresent(), "nothing written yet");
      writeAll(w, buffers, 0, 1, 2);
      Path traces = root.resolve("traces_seg0");
      damageAndRewrite(w, traces, buffers);
      w.commit(recording(), List.of(), Map.of());
      assertHoldsTheThreeTiles(traces);
    }
  }

  @Test
  void zarrV3Int16FromFloatsIsTheShardOfTheRoundedShorts() throws IOException {
    ZarrV3Writer w = new ZarrV3Writer(tmp.resolve("i16.zarr"), SAMPLES, CH, TILE, 250, Compression.AUTO, 1,
        new SampleEncoding("int16"));
    ShardedArrayLayout layout = ShardedArrayLayout.of(SAMPLES, CH, TILE, 250, ZarrDataType.INT16, 1);
    Path reference = tmp.resolve("ref");
    try (WriteBuffers buffers = new WriteBuffers()) {
      for (long t = 0; t < 3; t++) {
        float[] f = tile(t);
        short[] s = new short[f.length];
        for (int i = 0; i < f.length; i++) {
          s[i] = SampleEncoding.toInt16(f[i]);
        }
        w.write(t, t * TILE, f, rows(t), buffers);
        ShardWriter.writeShard(reference, layout, t, s, rows(t), false);
        assertArrayEquals(Files.readAllBytes(reference.resolve("c/" + t + "/0")),
            Files.readAllBytes(tmp.resolve("i16.zarr/traces_seg0/c/" + t + "/0")), "shard " + t);
      }
    }
  }

  @Test
  void zarrV2WritesNumcodecsZstdChunksAndKeepsThoseThatDecodeWhole() throws IOException {
    Path root = tmp.resolve("v2.zarr");
    for (SampleEncoding enc : List.of(SampleEncoding.float32(), new SampleEncoding("int16"))) {
      ZarrV2Writer w = new ZarrV2Writer(root, SAMPLES, CH, TILE, Compression.ZSTD, 1, enc);
      Path traces = root.resolve("traces_seg0");
      try (WriteBuffers buffers = new WriteBuffers()) {
        writeAll(w, buffers, 0, 1, 2);
        for (long t = 0; t < 3; t++) {
          // What the heap path wrote: a whole chunk (the last one padded with zeros), Zstd.compress.
          ByteBuffer raw = ByteBuffer.allocate(TILE * CH * enc.bytesPerSample()).order(ByteOrder.LITTLE_ENDIAN);
          float[] f = tile(t);
          for (int i = 0; i < rows(t) * CH; i++) {
            if (enc.isInt16()) {
              raw.putShort(SampleEncoding.toInt16(f[i]));
            } else {
              raw.putFloat(f[i]);
            }
          }
          Path chunk = traces.resolve(t + ".0");
          assertArrayEquals(Zstd.compress(raw.array(), 1), Files.readAllBytes(chunk), enc + " chunk " + t);
          assertEquals(OptionalLong.of(Files.size(chunk)), w.intact(t, buffers));
        }
        cut(traces.resolve("0.0"), 1);
        Files.write(traces.resolve("1.0"), new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        Files.delete(traces.resolve("2.0"));
        assertFalse(w.intact(0, buffers).isPresent(), "cut short");
        assertFalse(w.intact(1, buffers).isPresent(), "a byte too many");
        assertFalse(w.intact(2, buffers).isPresent(), "missing");
        // A whole, valid frame of another chunk shape (e.g. a run with other tiles) is refused too.
        Files.write(traces.resolve("2.0"), Zstd.compress(new byte[TILE * CH * enc.bytesPerSample() / 2], 1));
        assertFalse(w.intact(2, buffers).isPresent(), "another size");
        Files.write(traces.resolve("2.0"), new byte[100]);
        assertFalse(w.intact(2, buffers).isPresent(), "zeros");
      }
    }
  }

  @Test
  void zarrV2ChunksOfRealSizeAreTheSameBytes() throws IOException {
    // 1 s of 384 float32 channels: a chunk above WriteBuffers.DIRECT_MAX, compressed on the heap.
    int rows = 30000;
    int ch = 384;
    ZarrV2Writer w = new ZarrV2Writer(tmp.resolve("big.zarr"), rows + 100, ch, rows, Compression.ZSTD, 1,
        SampleEncoding.float32());
    float[] f = new float[rows * ch];
    Random r = new Random(4);
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (Math.sin(i * 1e-3) * 50 + r.nextGaussian() * 10);
    }
    try (WriteBuffers buffers = new WriteBuffers()) {
      w.write(0, 0, f, rows, buffers);
      w.write(1, rows, f, 100, buffers); // the last chunk: 100 rows, padded to a whole chunk
      for (int t = 0; t < 2; t++) {
        ByteBuffer raw = ByteBuffer.allocate(rows * ch * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(f, 0, (t == 0 ? rows : 100) * ch);
        Path chunk = tmp.resolve("big.zarr/traces_seg0/" + t + ".0");
        assertArrayEquals(Zstd.compress(raw.array(), 1), Files.readAllBytes(chunk), "chunk " + t);
        assertEquals(OptionalLong.of(Files.size(chunk)), w.intact(t, buffers));
      }
      cut(tmp.resolve("big.zarr/traces_seg0/0.0"), 1);
      assertFalse(w.intact(0, buffers).isPresent(), "cut short");
    }
  }

  @Test
  void autoStoresFloat32RawAndInt16WithZstd() {
    ZarrV3Writer f32 = new ZarrV3Writer(tmp.resolve("a"), SAMPLES, CH, TILE, 250, Compression.AUTO, 1,
        SampleEncoding.float32());
    ZarrV3Writer i16 = new ZarrV3Writer(tmp.resolve("b"), SAMPLES, CH, TILE, 250, Compression.AUTO, 1,
        new SampleEncoding("int16"));
    assertEquals(Compression.NONE, f32.layout().compression());
    assertEquals(Compression.ZSTD, i16.layout().compression());
    assertEquals(Compression.NONE, new ZarrV2Writer(tmp.resolve("c"), SAMPLES, CH, TILE, Compression.AUTO, 1,
        SampleEncoding.float32()).compression());
    assertEquals(Compression.ZSTD, new ZarrV2Writer(tmp.resolve("d"), SAMPLES, CH, TILE, Compression.AUTO, 1,
        new SampleEncoding("int16")).compression());
    assertEquals(Compression.ZSTD, new ZarrV3Writer(tmp.resolve("e"), SAMPLES, CH, TILE, 250, Compression.ZSTD, 1,
        SampleEncoding.float32()).layout().compression());
  }

  @Test
  void zarrV3WithoutCompressionKeepsWholeShardsOnly() throws IOException {
    Path root = tmp.resolve("raw-v3.zarr");
    ZarrV3Writer w = new ZarrV3Writer(root, SAMPLES, CH, TILE, 250, Compression.NONE, 1, SampleEncoding.float32());
    Path traces = root.resolve("traces_seg0");
    try (WriteBuffers buffers = new WriteBuffers()) {
      writeAll(w, buffers, 0, 1, 2);
      // Four raw inner chunks of 250 x 5 float32, then the index: nothing compressed.
      assertEquals(4 * 250 * CH * 4 + 16 * 4 + 4, Files.size(traces.resolve("c/0/0")));
      damageAndRewrite(w, traces, buffers);
      w.commit(recording(), List.of(), Map.of());
      String meta = Files.readString(traces.resolve("zarr.json"));
      assertFalse(meta.contains("zstd"), meta);
      assertHoldsTheThreeTiles(traces);
    }
  }

  @Test
  void zarrV2WithoutCompressionWritesRawChunksAndKeepsThoseOfExactlyAChunksSize() throws IOException {
    for (SampleEncoding enc : List.of(SampleEncoding.float32(), new SampleEncoding("int16"))) {
      Path root = tmp.resolve("raw-v2-" + enc.dtype() + ".zarr");
      ZarrV2Writer w = new ZarrV2Writer(root, SAMPLES, CH, TILE, Compression.NONE, 1, enc);
      Path traces = root.resolve("traces_seg0");
      int chunkBytes = TILE * CH * enc.bytesPerSample();
      try (WriteBuffers buffers = new WriteBuffers()) {
        writeAll(w, buffers, 0, 1, 2);
        for (long t = 0; t < 3; t++) {
          ByteBuffer raw = ByteBuffer.allocate(chunkBytes).order(ByteOrder.LITTLE_ENDIAN);
          float[] f = tile(t);
          for (int i = 0; i < rows(t) * CH; i++) {
            if (enc.isInt16()) {
              raw.putShort(SampleEncoding.toInt16(f[i]));
            } else {
              raw.putFloat(f[i]);
            }
          }
          Path chunk = traces.resolve(t + ".0");
          assertArrayEquals(raw.array(), Files.readAllBytes(chunk), enc + " chunk " + t);
          assertEquals(OptionalLong.of(chunkBytes), w.intact(t, buffers));
        }
        cut(traces.resolve("0.0"), 1);
        Files.write(traces.resolve("1.0"), new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        Files.delete(traces.resolve("2.0"));
        assertFalse(w.intact(0, buffers).isPresent(), "cut short");
        assertFalse(w.intact(1, buffers).isPresent(), "a byte too many");
        assertFalse(w.intact(2, buffers).isPresent(), "missing");
        // A zstd chunk where a raw one belongs (another result's chunk) has another size.
        Files.write(traces.resolve("2.0"), Zstd.compress(new byte[chunkBytes], 1));
        assertFalse(w.intact(2, buffers).isPresent(), "a zstd frame");
        w.write(0, 0, tile(0), rows(0), buffers);
        w.write(1, TILE, tile(1), rows(1), buffers);
        w.write(2, 2 * TILE, tile(2), rows(2), buffers);
        w.commit(recording(), List.of(), Map.of());
      }
      JsonNode zarray = new ObjectMapper().readTree(traces.resolve(".zarray").toFile());
      assertTrue(zarray.get("compressor").isNull(), zarray.toString());
      try (Recording r = Recordings.open(root)) {
        float[] back = new float[(int) SAMPLES * CH];
        r.readFloat(0, SAMPLES, back);
        for (long t = 0; t < 3; t++) {
          float[] f = tile(t);
          for (int i = 0; i < rows(t) * CH; i++) {
            float expected = enc.isInt16() ? SampleEncoding.toInt16(f[i]) : f[i];
            assertEquals(expected, back[(int) (t * TILE * CH) + i], enc + " tile " + t + " value " + i);
          }
        }
      }
    }
  }

  @Test
  void binaryKeepsTilesWhoseRecordAndBytesAgree() throws IOException {
    Path root = tmp.resolve("bin.d");
    Files.createDirectories(root);
    BinaryWriter w = new BinaryWriter(root, SAMPLES, CH, TILE, SampleEncoding.float32());
    Path traces = root.resolve(BinaryWriter.TRACES);
    Path records = root.resolve(BinaryWriter.WRITTEN);
    try (WriteBuffers buffers = new WriteBuffers()) {
      writeAll(w, buffers, 2, 0); // any order; tile 1 never written (a hole)
      assertEquals(OptionalLong.of(TILE * CH * 4L), w.intact(0, buffers));
      assertEquals(OptionalLong.of(500 * CH * 4L), w.intact(2, buffers));
      assertFalse(w.intact(1, buffers).isPresent(), "never written: its range reads as zeros");
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(traces)).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(SAMPLES * CH * 4, b.capacity());
      for (long t : new long[] {0, 2}) {
        float[] f = tile(t);
        for (int i = 0; i < rows(t) * CH; i++) {
          assertEquals(f[i], b.getFloat((int) (4 * (t * TILE * CH + i))), "tile " + t + " value " + i);
        }
      }

      flipByte(traces, 4L * CH * 10 + 3); // inside tile 0
      assertFalse(w.intact(0, buffers).isPresent(), "bytes that are not what was written");
      w.write(0, 0, tile(0), rows(0), buffers); // a rewrite makes it whole again
      assertTrue(w.intact(0, buffers).isPresent());

      String record = Files.readString(records.resolve("2"));
      Files.writeString(records.resolve("2"), record.substring(0, record.length() - 3));
      assertFalse(w.intact(2, buffers).isPresent(), "a record cut short");
      Files.writeString(records.resolve("2"), record.replace("offset 40000", "offset 40004"));
      assertFalse(w.intact(2, buffers).isPresent(), "a record of another range");
      Files.writeString(records.resolve("2"), record);
      assertTrue(w.intact(2, buffers).isPresent());
      Files.copy(records.resolve("2"), records.resolve("1"));
      assertFalse(w.intact(1, buffers).isPresent(), "another tile's record");
      Files.delete(records.resolve("1"));
      cut(traces, 1);
      assertFalse(w.intact(2, buffers).isPresent(), "the file cut short");

      w.write(1, TILE, tile(1), rows(1), buffers);
      w.write(2, 2 * TILE, tile(2), rows(2), buffers);
      w.commit(recording(), List.of(), Map.of());
      assertFalse(Files.exists(records), "the records are gone once the output is committed");
      assertEquals(SAMPLES * CH * 4, Files.size(traces));
    }
  }
}
