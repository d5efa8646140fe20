package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ConcurrentReads;
import org.specus.io.Recording;
import org.specus.io.zarr.blosc.BloscEncoder;
import org.specus.io.zarr.blosc.ShuffleMode;

/**
 * {@link ZarrV2Reader}'s bulk reads (one run of values per chunk, per dtype) against the value by
 * value definition, for every dtype, compressor, window and missing chunks; and the per-thread reuse
 * of decoded chunks.
 */
class ZarrV2ReaderBulkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path tmp;

  /** An array of {@code rows x width} (1-D when width is 0) values of {@code dtype}, chunk {@code missing} absent. */
  static byte[] write(Path dir, String dtype, int rows, int width, int chunkRows, String compressor, Object fill,
      Set<Integer> missing, long seed) throws Exception {
    int item = Integer.parseInt(dtype.substring(2));
    int w = Math.max(width, 1);
    Random rnd = new Random(seed);
    ByteBuffer all = ByteBuffer.allocate(rows * w * item).order(ByteOrder.LITTLE_ENDIAN);
    while (all.hasRemaining()) {
      switch (dtype) {
        case "<f4" -> all.putFloat((float) (rnd.nextGaussian() * 1000));
        case "<f8" -> all.putDouble(rnd.nextGaussian() * 1e6 + rnd.nextDouble());
        case "<i4" -> all.putInt(rnd.nextInt()); // most do not fit a float exactly
        default -> all.putShort((short) rnd.nextInt());
      }
    }
    Files.createDirectories(dir);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("zarr_format", 2);
    meta.put("shape", width == 0 ? List.of(rows) : List.of(rows, width));
    meta.put("chunks", width == 0 ? List.of(chunkRows) : List.of(chunkRows, width));
    meta.put("dtype", dtype);
    int typeSize = item;
    BloscEncoder.Options blosc = BloscEncoder.Options.zstd(1, ShuffleMode.SHUFFLE, typeSize).withBlockSize(256);
    meta.put("compressor", switch (compressor) {
      case "none" -> null;
      case "zstd" -> Map.of("id", "zstd", "level", 1);
      default -> blosc.numcodecsCompressor();
    });
    meta.put("fill_value", fill);
    meta.put("order", "C");
    meta.put("filters", null);
    JSON.writeValue(dir.resolve(".zarray").toFile(), meta);
    byte[] bytes = all.array();
    int chunkBytes = chunkRows * w * item;
    try (BloscEncoder enc = new BloscEncoder(blosc)) {
      for (int c = 0; c * chunkRows < rows; c++) {
        if (missing.contains(c)) {
          continue;
        }
        byte[] chunk = new byte[chunkBytes]; // the last one padded, as zarr writes it
        System.arraycopy(bytes, c * chunkBytes, chunk, 0, Math.min(chunkBytes, bytes.length - c * chunkBytes));
        byte[] encoded = switch (compressor) {
          case "none" -> chunk;
          case "zstd" -> Zstd.compress(chunk, 1);
          default -> enc.encode(chunk);
        };
        Files.write(dir.resolve(width == 0 ? Integer.toString(c) : c + ".0"), encoded);
      }
    }
    return bytes;
  }

  /** The value-by-value definition: each stored value converted to float on its own. */
  static float[] expected(byte[] bytes, String dtype, int chunkValues, Set<Integer> missing, float fill, int from,
      int count) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      int v = from + i;
      if (missing.contains(v / chunkValues)) {
        out[i] = fill;
        continue;
      }
      out[i] = switch (dtype) {
        case "<f4" -> b.getFloat(v * 4);
        case "<f8" -> (float) b.getDouble(v * 8);
        case "<i4" -> b.getInt(v * 4);
        case "<u2" -> Short.toUnsignedInt(b.getShort(v * 2));
        default -> b.getShort(v * 2);
      };
    }
    return out;
  }

  @Test
  void everyWindowOfEveryDtypeReadsAsTheValueByValueDefinition() throws Exception {
    int rows = 40;
    int chunkRows = 7; // 6 chunks, the last of 5 rows
    Set<Integer> missing = Set.of(2);
    long seed = 1;
    for (String dtype : List.of("<i2", "<u2", "<i4", "<f4", "<f8")) {
      for (String compressor : List.of("none", "zstd", "blosc")) {
        for (int width : new int[] {3, 0}) {
          Path dir = tmp.resolve(dtype.substring(1) + "-" + compressor + "-" + width);
          Object fill = dtype.startsWith("<f") ? (Object) 2.5 : (Object) 7;
          byte[] bytes = write(dir, dtype, rows, width, chunkRows, compressor, fill, missing, seed++);
          ZarrV2Reader r = ZarrV2Reader.open(dir);
          int w = Math.max(width, 1);
          for (int start = 0; start <= rows; start++) {
            for (int count = 0; start + count <= rows; count++) {
              float[] got = new float[count * w + 2];
              got[count * w] = 99; // nothing written past the window
              r.readFloats(start, count, got);
              float[] want = expected(bytes, dtype, chunkRows * w, missing, ((Number) fill).floatValue(), start * w,
                  count * w);
              float[] head = java.util.Arrays.copyOf(got, count * w);
              assertArrayEquals(want, head, dir.getFileName() + " rows " + start + "+" + count);
              assertEquals(99, got[count * w]);
              if (dtype.equals("<i2")) {
                short[] s = new short[count * w];
                r.readShorts(start, count, s);
                for (int i = 0; i < s.length; i++) {
                  assertEquals(want[i], s[i], dir.getFileName() + " readShorts rows " + start + "+" + count);
                }
              }
            }
          }
          if (!dtype.equals("<i2")) {
            assertThrows(IllegalArgumentException.class, () -> r.readShorts(0, 1, new short[w]));
          }
          assertThrows(IllegalArgumentException.class, () -> r.readFloats(rows - 1, 2, new float[2 * w]));
        }
      }
    }
  }

  @Test
  void tilesWithMarginsDecodeEachChunkOncePerThread() throws Exception {
    int chunkRows = 100;
    int chunks = 10;
    Path dir = tmp.resolve("tiles");
    write(dir, "<i2", chunks * chunkRows, 4, chunkRows, "blosc", 0, Set.of(), 3);
    ZarrV2Reader r = ZarrV2Reader.open(dir);
    int margin = 12;
    for (int k = 0; k < chunks; k++) {
      long from = Math.max(0, k * chunkRows - margin);
      long to = Math.min(chunks * chunkRows, (k + 1) * chunkRows + margin);
      r.readFloats(from, (int) (to - from), new float[(int) (to - from) * 4]);
    }
    assertEquals(chunks, r.decodedChunks(), "each chunk decoded once, though each tile touches up to three");
    // Another thread has its own chunks ...
    Thread t = new Thread(() -> {
      try {
        r.readFloats(0, 50, new float[200]);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    t.start();
    t.join();
    assertEquals(chunks + 1, r.decodedChunks());
    // ... this one still has the last two, until they are dropped.
    r.readFloats(chunks * chunkRows - 150, 150, new float[600]);
    assertEquals(chunks + 1, r.decodedChunks());
    r.dropRecentChunks();
    r.readFloats(chunks * chunkRows - 150, 150, new float[600]);
    assertEquals(chunks + 3, r.decodedChunks());
  }

  @Test
  void concurrentReadsOfRandomWindowsAreExact() throws Exception {
    int rows = 3000;
    int width = 5;
    int chunkRows = 128;
    Set<Integer> missing = Set.of(4, 5);
    Path dir = tmp.resolve("concurrent");
    byte[] bytes = write(dir, "<f4", rows, width, chunkRows, "blosc", -1.0, missing, 4);
    ZarrV2Reader r = ZarrV2Reader.open(dir);
    ConcurrentReads.check(4, 300, rows, 400, (start, count) -> {
      float[] got = new float[count * width];
      r.readFloats(start, count, got);
      assertArrayEquals(expected(bytes, "<f4", chunkRows * width, missing, -1f, start * width, count * width),
          got, "rows " + start + "+" + count);
    });
  }

  @Test
  void aZarrV2RecordingReadsInt16AsStoredAndAsFloat() throws Exception {
    Path root = tmp.resolve("rec.zarr");
    Files.createDirectories(root);
    Files.writeString(root.resolve(".zgroup"), "{\"zarr_format\": 2}");
    Files.writeString(root.resolve(".zattrs"), "{\"sampling_frequency\": 30000.0, \"num_segments\": 1}");
    int samples = 1000;
    int channels = 6;
    byte[] bytes = write(root.resolve("traces_seg0"), "<i2", samples, channels, 300, "blosc", 0, Set.of(), 5);
    short[] all = new short[samples * channels];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(all);
    try (Recording r = ZarrRecording.open(root)) {
      for (int[] w : new int[][] {{0, 1000}, {250, 650}, {299, 301}, {999, 1000}, {400, 400}}) {
        int n = (w[1] - w[0]) * channels;
        short[] s = new short[n];
        float[] f = new float[n];
        r.readInt16(w[0], w[1], s);
        r.readFloat(w[0], w[1], f);
        short[] want = java.util.Arrays.copyOfRange(all, w[0] * channels, w[1] * channels);
        assertArrayEquals(want, s);
        for (int i = 0; i < n; i++) {
          assertEquals(want[i], f[i]);
        }
      }
      assertThrows(IllegalArgumentException.class, () -> r.readInt16(990, 1001, new short[11 * channels]));
    }
  }
}
