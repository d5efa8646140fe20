package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ConcurrentReads;
import org.specus.io.Recording;

/**
 * {@link ZarrV3Reader}'s reads into caller arrays (one run of values per decoded block, reused per
 * thread) against the value-by-value definition, for every data type, sharded and not, every codec
 * chain it reads (including one it decodes the general way), either endian, missing chunks, shards
 * and empty index entries with a non-zero fill value, every window; and the per-thread reuse of
 * decoded inner chunks. Stores are written here byte by byte, independently of {@link ShardWriter}.
 */
class ZarrV3ReaderBulkTest {
  @TempDir
  Path tmp;

  /** How a test store is laid out and encoded. */
  record Store(String dtype, int width, int chunkRows, int innerRows, List<String> codecs, boolean bigEndian,
      String indexLocation, boolean indexCrc, Set<Integer> missingChunks, Set<Integer> emptyInner) {
    boolean sharded() {
      return innerRows > 0;
    }

    int size() {
      return switch (dtype) {
        case "int16" -> 2;
        case "float64" -> 8;
        default -> 4;
      };
    }
  }

  /** Writes {@code rows} values of {@code s.dtype()}; returns their little-endian bytes. */
  static byte[] write(Path dir, Store s, int rows, double fill, long seed) throws Exception {
    int w = Math.max(1, s.width());
    int es = s.size();
    Random rnd = new Random(seed);
    ByteBuffer all = ByteBuffer.allocate(rows * w * es).order(ByteOrder.LITTLE_ENDIAN);
    while (all.hasRemaining()) {
      switch (s.dtype()) {
        case "int16" -> all.putShort((short) rnd.nextInt());
        case "int32" -> all.putInt(rnd.nextInt()); // most do not fit a float exactly
        case "float32" -> all.putFloat((float) (rnd.nextGaussian() * 1000));
        default -> all.putDouble(rnd.nextGaussian() * 1e6 + rnd.nextDouble());
      }
    }
    byte[] bytes = all.array();
    Files.createDirectories(dir);
    Map<String, Object> bytesCodec = Map.of("name", "bytes", "configuration",
        Map.of("endian", s.bigEndian() ? "big" : "little"));
    List<Object> inner = new ArrayList<>(List.of(bytesCodec));
    for (String c : s.codecs()) {
      inner.add(c.equals("zstd") ? Map.of("name", "zstd", "configuration", Map.of("level", 1, "checksum", false))
          : Map.of("name", c));
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("zarr_format", 3);
    meta.put("node_type", "array");
    meta.put("shape", s.width() == 0 ? List.of(rows) : List.of(rows, s.width()));
    meta.put("data_type", s.dtype());
    meta.put("chunk_grid", Map.of("name", "regular", "configuration", Map.of("chunk_shape",
        s.width() == 0 ? List.of(s.chunkRows()) : List.of(s.chunkRows(), s.width()))));
    meta.put("chunk_key_encoding", Map.of("name", "default", "configuration", Map.of("separator", "/")));
    meta.put("fill_value", s.dtype().startsWith("float") ? fill : (Object) (long) fill);
    if (s.sharded()) {
      List<Object> index = new ArrayList<>(List.of(Map.of("name", "bytes", "configuration", Map.of("endian", "little"))));
      if (s.indexCrc()) {
        index.add(Map.of("name", "crc32c"));
      }
      meta.put("codecs", List.of(Map.of("name", "sharding_indexed", "configuration", Map.of(
          "chunk_shape", s.width() == 0 ? List.of(s.innerRows()) : List.of(s.innerRows(), s.width()),
          "codecs", inner, "index_codecs", index, "index_location", s.indexLocation()))));
    } else {
      meta.put("codecs", inner);
    }
    ZarrV3.JSON.writeValue(dir.resolve("zarr.json").toFile(), meta);
    int rowBytes = w * es;
    for (int c = 0; c * s.chunkRows() < rows; c++) {
      if (s.missingChunks().contains(c)) {
        continue;
      }
      byte[] chunk = block(bytes, c * s.chunkRows(), s.chunkRows(), rowBytes, fill, s);
      byte[] file;
      if (!s.sharded()) {
        file = encode(chunk, s);
      } else {
        int n = s.chunkRows() / s.innerRows();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer index = ByteBuffer.allocate(16 * n + (s.indexCrc() ? 4 : 0)).order(ByteOrder.LITTLE_ENDIAN);
        int base = s.indexLocation().equals("start") ? index.capacity() : 0;
        for (int k = 0; k < n; k++) {
          int global = c * n + k;
          if (s.emptyInner().contains(global) || (long) global * s.innerRows() >= rows) {
            index.putLong(-1L).putLong(-1L); // empty, and past the end: as ShardWriter leaves them
            continue;
          }
          byte[] enc = encode(Arrays.copyOfRange(chunk, k * s.innerRows() * rowBytes, (k + 1) * s.innerRows() * rowBytes), s);
          index.putLong(base + data.size()).putLong(enc.length);
          data.write(enc);
        }
        if (s.indexCrc()) {
          CRC32C crc = new CRC32C();
          crc.update(index.array(), 0, 16 * n);
          index.putInt((int) crc.getValue());
        }
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        if (base > 0) {
          f.write(index.array());
        }
        f.write(data.toByteArray());
        if (base == 0) {
          f.write(index.array());
        }
        file = f.toByteArray();
      }
      Path p = dir.resolve(s.width() == 0 ? "c/" + c : "c/" + c + "/0");
      Files.createDirectories(p.getParent());
      Files.write(p, file);
    }
    return bytes;
  }

  /** Rows {@code [r0, r0 + n)} of the array, padded with the fill value past its end. */
  static byte[] block(byte[] all, int r0, int n, int rowBytes, double fill, Store s) {
    byte[] out = new byte[n * rowBytes];
    int have = Math.max(0, Math.min(n * rowBytes, all.length - r0 * rowBytes));
    System.arraycopy(all, r0 * rowBytes, out, 0, have);
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = have; i < out.length; i += s.size()) {
      switch (s.dtype()) {
        case "int16" -> b.putShort(i, (short) fill);
        case "int32" -> b.putInt(i, (int) fill);
        case "float32" -> b.putFloat(i, (float) fill);
        default -> b.putDouble(i, fill);
      }
    }
    return out;
  }

  static byte[] encode(byte[] raw, Store s) {
    byte[] data = raw.clone();
    if (s.bigEndian()) {
      for (int i = 0; i < data.length; i += s.size()) {
        for (int a = i, z = i + s.size() - 1; a < z; a++, z--) {
          byte t = data[a];
          data[a] = data[z];
          data[z] = t;
        }
      }
    }
    for (String c : s.codecs()) {
      if (c.equals("zstd")) {
        data = Zstd.compress(data, 1);
      } else {
        CRC32C crc = new CRC32C();
        crc.update(data);
        data = ByteBuffer.allocate(data.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(data)
            .putInt((int) crc.getValue()).array();
      }
    }
    return data;
  }

  /** The value-by-value definition: each stored value (or the fill value where nothing is stored) cast to float. */
  static float[] expected(byte[] bytes, Store s, double fill, int rows, int from, int count) {
    int w = Math.max(1, s.width());
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      int v = from + i;
      int row = v / w;
      boolean absent = s.missingChunks().contains(row / s.chunkRows())
          || (s.sharded() && s.emptyInner().contains(row / s.innerRows()));
      out[i] = switch (s.dtype()) {
        case "int16" -> absent ? (short) fill : b.getShort(v * 2);
        case "int32" -> absent ? (int) fill : b.getInt(v * 4);
        case "float32" -> absent ? (float) fill : b.getFloat(v * 4);
        default -> (float) (absent ? fill : b.getDouble(v * 8));
      };
    }
    return out;
  }

  static List<Store> stores() {
    List<Store> out = new ArrayList<>();
    Set<Integer> none = Set.of();
    for (String dtype : List.of("int16", "int32", "float32", "float64")) {
      for (int width : new int[] {3, 0}) {
        // Specus's own layout: sharded, zstd inside, crc32c on the index at the end; a missing shard, an empty inner chunk.
        out.add(new Store(dtype, width, 14, 7, List.of("zstd"), false, "end", true, Set.of(1), Set.of(4)));
        out.add(new Store(dtype, width, 14, 7, List.of("zstd", "crc32c"), true, "start", false, none, Set.of(0)));
        out.add(new Store(dtype, width, 15, 5, List.of(), false, "end", true, none, none));
        out.add(new Store(dtype, width, 14, 7, List.of("crc32c", "zstd"), false, "end", true, none, Set.of(3)));
        out.add(new Store(dtype, width, 6, 0, List.of("zstd"), false, "end", false, Set.of(2), none));
        out.add(new Store(dtype, width, 6, 0, List.of("crc32c"), true, "end", false, none, none));
      }
    }
    return out;
  }

  @Test
  void everyWindowOfEveryStoreReadsAsTheValueByValueDefinition() throws Exception {
    int rows = 29; // shards of 14 rows: the last holds one, in a partial inner chunk, and one past the end
    long seed = 1;
    int k = 0;
    for (Store s : stores()) {
      Path dir = tmp.resolve("s" + k++);
      double fill = s.dtype().startsWith("float") ? 2.5 : 7;
      byte[] bytes = write(dir, s, rows, fill, seed++);
      ZarrV3Reader r = ZarrV3Reader.open(dir);
      int w = Math.max(1, s.width());
      for (int start = 0; start <= rows; start++) {
        for (int count = 0; start + count <= rows; count++) {
          String where = s + " rows " + start + "+" + count;
          float[] want = expected(bytes, s, fill, rows, start * w, count * w);
          float[] got = new float[count * w + 2];
          got[count * w] = 99; // nothing written past the window
          r.readFloats(start, count, got);
          assertArrayEquals(want, Arrays.copyOf(got, count * w), where);
          assertEquals(99, got[count * w], where);
          // The array-returning reads, for the stored type.
          switch (s.dtype()) {
            case "int16" -> {
              short[] sh = new short[count * w];
              r.readShorts(start, count, sh);
              assertArrayEquals(sh, r.readShorts(start, count), where);
              for (int i = 0; i < sh.length; i++) {
                assertEquals(want[i], sh[i], where);
              }
            }
            case "int32" -> {
              int[] v = r.readInts(start, count);
              for (int i = 0; i < v.length; i++) {
                assertEquals(want[i], (float) v[i], where);
              }
            }
            case "float32" -> assertArrayEquals(want, r.readFloats(start, count), where);
            default -> {
              double[] v = r.readDoubles(start, count);
              for (int i = 0; i < v.length; i++) {
                assertEquals(want[i], (float) v[i], where);
              }
            }
          }
        }
      }
      if (!s.dtype().equals("int16")) {
        assertThrows(IllegalArgumentException.class, () -> r.readShorts(0, 1, new short[w]));
      }
      assertThrows(IllegalArgumentException.class, () -> r.readFloats(rows - 1, 2, new float[2 * w]));
      assertThrows(IllegalArgumentException.class, () -> r.readFloats(0, 2, new float[2 * w - 1]));
    }
  }

  @Test
  void tilesWithMarginsDecodeEachInnerChunkOncePerThread() throws Exception {
    // Specus's layout at small scale: shards of 100 rows, inner chunks of 10, tiles of one shard with 7-row margins
    // (the default chain's 1149 samples within 3000-sample inner chunks).
    Store s = new Store("int16", 4, 100, 10, List.of("zstd"), false, "end", true, Set.of(), Set.of());
    Path dir = tmp.resolve("tiles");
    write(dir, s, 1000, 0, 3);
    ZarrV3Reader r = ZarrV3Reader.open(dir);
    for (int k = 0; k < 10; k++) {
      long from = Math.max(0, k * 100 - 7);
      long to = Math.min(1000, (k + 1) * 100 + 7);
      r.readShorts(from, (int) (to - from), new short[(int) (to - from) * 4]);
    }
    assertEquals(100, r.decodedChunks(), "each inner chunk decoded once, though the margins touch the neighbours'");
    Thread t = new Thread(() -> {
      try {
        r.readFloats(0, 5, new float[20]);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    t.start();
    t.join();
    assertEquals(101, r.decodedChunks(), "another thread has its own");
    r.readFloats(985, 15, new float[60]); // the last two inner chunks: still this thread's
    assertEquals(101, r.decodedChunks());
    r.dropRecentChunks();
    r.readFloats(985, 15, new float[60]);
    assertEquals(103, r.decodedChunks());
  }

  @Test
  void anUndecodableInnerChunkIsAnIoErrorThatNamesTheShard() throws Exception {
    Store s = new Store("int16", 4, 100, 10, List.of("zstd"), false, "end", true, Set.of(), Set.of());
    Path dir = tmp.resolve("corrupt");
    write(dir, s, 300, 0, 6);
    Path shard = dir.resolve("c/1/0");
    byte[] bytes = Files.readAllBytes(shard);
    ByteBuffer index = ByteBuffer.wrap(bytes, bytes.length - 4 - 160, 160).slice().order(ByteOrder.LITTLE_ENDIAN);
    long third = index.getLong(16 * 3);
    for (int i = 4; i < 40; i++) {
      bytes[(int) third + i] ^= (byte) 0x5a; // inside inner chunk 3's frame, after its header
    }
    Files.write(shard, bytes);
    ZarrV3Reader r = ZarrV3Reader.open(dir);
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> r.readShorts(120, 20, new short[80]));
    assertEquals(true, e.getMessage().startsWith(shard + ": zstd cannot decode a chunk"), e.getMessage());
    r.readShorts(100, 30, new short[120]); // the other inner chunks still read
  }

  @Test
  void concurrentReadsOfRandomWindowsAreExact() throws Exception {
    Store s = new Store("float32", 5, 128, 32, List.of("zstd"), false, "end", true, Set.of(4), Set.of(7));
    Path dir = tmp.resolve("concurrent");
    int rows = 3000;
    byte[] bytes = write(dir, s, rows, -1, 4);
    ZarrV3Reader r = ZarrV3Reader.open(dir);
    ConcurrentReads.check(4, 300, rows, 400, (start, count) -> {
      float[] got = new float[count * 5];
      r.readFloats(start, count, got);
      assertArrayEquals(expected(bytes, s, -1, rows, start * 5, count * 5), got, "rows " + start + "+" + count);
    });
  }

  @Test
  void aZarrV3RecordingReadsInt16AsStoredAndAsFloat() throws Exception {
    Path root = tmp.resolve("rec.zarr");
    ZarrV3.writeGroup(root, Map.of("sampling_frequency", 30000.0, "num_segments", 1));
    Store s = new Store("int16", 6, 300, 100, List.of("zstd"), false, "end", true, Set.of(), Set.of());
    byte[] bytes = write(root.resolve("traces_seg0"), s, 1000, 0, 5);
    short[] all = new short[1000 * 6];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(all);
    try (Recording r = ZarrRecording.open(root)) {
      for (int[] w : new int[][] {{0, 1000}, {250, 650}, {299, 301}, {999, 1000}, {400, 400}}) {
        int n = (w[1] - w[0]) * 6;
        short[] sh = new short[n];
        float[] f = new float[n];
        r.readInt16(w[0], w[1], sh);
        r.readFloat(w[0], w[1], f);
        short[] want = Arrays.copyOfRange(all, w[0] * 6, w[1] * 6);
        assertArrayEquals(want, sh);
        for (int i = 0; i < n; i++) {
          assertEquals(want[i], f[i]);
        }
      }
    }
  }
}
