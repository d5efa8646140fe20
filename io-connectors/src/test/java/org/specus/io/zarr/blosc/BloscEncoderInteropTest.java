package org.specus.io.zarr.blosc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.specus.io.SystemPython;
import org.specus.io.zarr.Zarrita;

/**
 * Chunks written by {@link BloscEncoder} read by other implementations: numcodecs' {@code Blosc}
 * (c-blosc 1.x, what SpikeInterface and zarr-python use) must give back the input bytes exactly, for
 * int16 and float32, every shuffle, odd sizes and block sizes; and zarrita (whose {@code blosc}
 * codec is numcodecs.js, c-blosc compiled to WebAssembly) must read a Zarr v3 array whose codecs are
 * {@code bytes} + {@code blosc}.
 */
class BloscEncoderInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void numcodecsDecodesEveryChunkBitForBit() throws Exception {
    SystemPython.require("numcodecs", "python3-numcodecs");
    Path dir = Path.of("target", "blosc-encoded").toAbsolutePath();
    Files.createDirectories(dir);
    ArrayNode cases = JSON.createArrayNode();
    int[] elements = {1, 63, 64, 1001, 8191, 50_001, 300_007, 600_001};
    long seed = 100;
    for (String dtype : List.of("<i2", "<f4")) {
      int typeSize = dtype.equals("<i2") ? 2 : 4;
      for (ShuffleMode shuffle : ShuffleMode.values()) {
        for (String kind : List.of("gauss", "smooth", "noise", "mixed")) {
          for (int n : elements) {
            // c-blosc's automatic blocks at clevel 1 and 3 (numcodecs writes the same bytes when its
            // zstd is the same), the default 1 MiB blocks, and odd forced blocks (150 or 300
            // elements: not bitshuffled) at clevel 5
            int dflt = BloscEncoder.DEFAULT_BLOCK_SIZE;
            for (int[] lb : new int[][] {{1, 0}, {3, 0}, {1, dflt}, {3, dflt}, {5, 600}}) {
              if ((lb[1] == 600 && n > 50_001) || (lb[1] == dflt && n < 50_001) || (lb[1] == 0 && n > 300_007)) {
                continue;
              }
              BloscEncoder.Options o = new BloscEncoder.Options(lb[0], shuffle, typeSize, lb[1]);
              byte[] raw = BloscEncoderTest.data(kind, typeSize, n * typeSize, seed++);
              String name = String.format("%s-%s-%s-%d-c%d-b%d", dtype.substring(1), shuffle.zarrName(), kind, n,
                  lb[0], lb[1]);
              byte[] chunk;
              try (BloscEncoder e = new BloscEncoder(o)) {
                chunk = e.encode(raw);
              }
              Files.write(dir.resolve(name + ".blosc"), chunk);
              Files.write(dir.resolve(name + ".raw"), raw);
              ObjectNode c = cases.addObject();
              c.put("name", name).put("dtype", dtype).put("clevel", o.clevel()).put("shuffle", shuffle.numcodecsId())
                  .put("blocksize", o.blockSize());
            }
          }
        }
      }
    }
    JSON.writeValue(dir.resolve("manifest.json").toFile(), JSON.createObjectNode().set("cases", cases));
    SystemPython.run(List.of(SystemPython.script("decode_blosc.py").toString(), dir.toString()));
    JsonNode results = JSON.readTree(dir.resolve("results.json").toFile());

    List<String> failed = new ArrayList<>();
    int identical = 0;
    for (JsonNode c : cases) {
      JsonNode r = results.get("cases").get(c.get("name").asText());
      if (!r.get("ok").asBoolean()) {
        failed.add(c.get("name").asText() + ": " + r.get("error").asText());
      }
      identical += r.path("identical_to_numcodecs").asBoolean() ? 1 : 0;
    }
    assertTrue(failed.isEmpty(), failed.size() + " of " + cases.size() + " chunks not decoded by numcodecs "
        + results.get("numcodecs").asText() + " (c-blosc " + results.get("blosc_version").asText() + "):\n"
        + String.join("\n", failed));
    System.out.println("numcodecs decoded all " + cases.size() + " chunks; " + identical
        + " are byte-identical to what numcodecs writes itself");

    // The automatic block size is c-blosc's own choice for zstd.
    for (JsonNode a : results.get("auto_blocksizes")) {
      BloscEncoder.Options o = new BloscEncoder.Options(a.get("clevel").asInt(), ShuffleMode.SHUFFLE,
          a.get("typesize").asInt(), 0);
      assertEquals(a.get("blocksize").asInt(), o.blockSizeFor(a.get("nbytes").asInt()), a.toString());
    }
  }

  @Test
  void zarritaReadsAZarrV3ArrayWithTheBloscCodec() throws Exception {
    Path store = Path.of("target", "blosc-v3-store").toAbsolutePath();
    if (Files.exists(store)) {
      try (var paths = Files.walk(store)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(store);
    Files.writeString(store.resolve("zarr.json"), "{\"zarr_format\": 3, \"node_type\": \"group\", \"attributes\": {}}");
    int rows = 1001; // chunks of 400 rows: the last one partial
    int cols = 37;
    int chunkRows = 400;
    List<String> arrays = new ArrayList<>();
    long seed = 1;
    for (String type : List.of("int16", "float32")) {
      int typeSize = type.equals("int16") ? 2 : 4;
      for (ShuffleMode shuffle : ShuffleMode.values()) {
        String name = type + "-" + shuffle.zarrName();
        arrays.add(name);
        Path a = store.resolve(name);
        Files.createDirectories(a);
        BloscEncoder.Options o = new BloscEncoder.Options(3, shuffle, typeSize, shuffle == ShuffleMode.BITSHUFFLE ? 4000 : 0);
        Map<String, Object> meta = Map.of("zarr_format", 3, "node_type", "array", "shape", List.of(rows, cols),
            "data_type", type, "chunk_grid", Map.of("name", "regular", "configuration",
                Map.of("chunk_shape", List.of(chunkRows, cols))),
            "chunk_key_encoding", Map.of("name", "default", "configuration", Map.of("separator", "/")),
            "fill_value", 0, "codecs", List.of(Map.of("name", "bytes", "configuration", Map.of("endian", "little")),
                o.zarrV3Codec()), "attributes", Map.of());
        JSON.writeValue(a.resolve("zarr.json").toFile(), meta);
        byte[] all = BloscEncoderTest.data("gauss", typeSize, rows * cols * typeSize, seed++);
        try (BloscEncoder e = new BloscEncoder(o)) {
          for (int c = 0; c * chunkRows < rows; c++) {
            // edge chunks are stored whole (padded with the fill value), as Zarr v3 requires
            byte[] chunk = new byte[chunkRows * cols * typeSize];
            int from = c * chunkRows * cols * typeSize;
            System.arraycopy(all, from, chunk, 0, Math.min(chunk.length, all.length - from));
            Path file = a.resolve("c/" + c + "/0");
            Files.createDirectories(file.getParent());
            Files.write(file, e.encode(chunk));
          }
        }
        Files.write(store.resolve(name + ".expected"), all);
      }
    }
    JsonNode read = Zarrita.read(store, arrays.toArray(String[]::new));
    for (String name : arrays) {
      JsonNode values = read.get("arrays").get(name).get("values");
      ByteBuffer expected = ByteBuffer.wrap(Files.readAllBytes(store.resolve(name + ".expected")))
          .order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(rows * cols, values.size(), name);
      if (name.startsWith("int16")) {
        short[] want = new short[rows * cols];
        expected.asShortBuffer().get(want);
        short[] got = new short[want.length];
        for (int i = 0; i < got.length; i++) {
          got[i] = (short) values.get(i).asInt();
        }
        assertArrayEquals(want, got, name);
      } else {
        float[] want = new float[rows * cols];
        expected.asFloatBuffer().get(want);
        assertArrayEquals(want, Zarrita.floats(values), name);
      }
    }
  }
}
