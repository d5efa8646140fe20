package org.specus.io.zarr.blosc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.specus.io.SystemPython;

/**
 * Chunks written by numcodecs' Blosc (Debian's c-blosc 1.x, the library SpikeInterface's stores
 * come from) for every cname x shuffle x {int16, float32} and awkward sizes, decoded by {@link
 * BloscDecoder} and compared byte for byte with what numpy held. The manifest's description of each
 * chunk is parsed in Python, independently of the decoder, and used to check that every path of the
 * format was met.
 */
class BloscNumcodecsTest {
  static Path dir;
  static JsonNode manifest;

  @BeforeAll
  static void writeFixtures() throws Exception {
    SystemPython.require("numcodecs", "python3-numcodecs");
    dir = Path.of("target", "blosc-fixtures").toAbsolutePath();
    Files.createDirectories(dir);
    SystemPython.run(List.of(SystemPython.script("make_blosc.py").toString(), dir.toString()));
    manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
  }

  static List<JsonNode> cases() {
    return StreamSupport.stream(manifest.get("cases").spliterator(), false).toList();
  }

  @TestFactory
  Stream<DynamicTest> everyChunkDecodesToNumpysBytes() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
      String name = c.get("name").asText();
      byte[] chunk = Files.readAllBytes(dir.resolve(name + ".blosc"));
      byte[] expected = Files.readAllBytes(dir.resolve(name + ".raw"));
      BloscHeader h = BloscHeader.read(chunk);
      assertEquals(c.get("flags").asInt(), h.flags(), name);
      assertEquals(c.get("typesize").asInt(), h.typeSize(), name);
      assertEquals(expected.length, h.nbytes(), name);
      if (!h.memcpyed()) {
        assertEquals(c.get("blocks").asInt(), h.blockCount(), name);
        int split = 0;
        int streams = 0;
        for (int b = 0; b < h.blockCount(); b++) {
          split += h.streams(b) > 1 ? 1 : 0;
          streams += h.streams(b);
        }
        assertEquals(c.get("split_blocks").asInt(), split, name);
        assertEquals(c.get("streams").asInt(), streams, name);
      }
      byte[] got = BloscDecoder.decode(chunk, expected.length);
      if (!Arrays.equals(expected, got)) {
        int i = Arrays.mismatch(expected, got);
        fail(name + ": first difference at byte " + i + " of " + expected.length + " (block "
            + (h.memcpyed() ? 0 : i / h.blockSize()) + "): expected " + expected[i] + ", got " + got[i]);
      }
    }));
  }

  @Test
  void theFixturesCoverEveryPathOfTheFormat() {
    List<JsonNode> cases = cases();
    List<String> missing = new ArrayList<>();
    for (int codec : new int[] {BloscHeader.BLOSCLZ, BloscHeader.LZ4, BloscHeader.ZLIB, BloscHeader.ZSTD}) {
      need(cases, missing, "compressed streams with " + BloscHeader.codecName(codec),
          c -> !c.get("memcpyed").asBoolean() && c.get("codec").asInt() == codec
              && c.get("streams").asInt() > c.get("raw_streams").asInt());
    }
    need(cases, missing, "lz4hc compressed",
        c -> c.get("cname").asText().equals("lz4hc") && !c.get("memcpyed").asBoolean());
    need(cases, missing, "a memcpyed chunk", c -> c.get("memcpyed").asBoolean());
    need(cases, missing, "a block split into typesize streams", c -> c.get("split_blocks").asInt() > 0);
    need(cases, missing, "a stream stored raw", c -> c.get("raw_streams").asInt() > 0);
    need(cases, missing, "many blocks", c -> c.get("blocks").asInt() > 20);
    need(cases, missing, "a partial last block, byte-shuffled",
        c -> c.get("leftover").asInt() > 0 && (c.get("flags").asInt() & 1) != 0);
    need(cases, missing, "a partial last block, bitshuffled", c -> c.get("leftover").asInt() > 0
        && (c.get("flags").asInt() & 4) != 0 && c.get("bitshuffled_blocks").asInt() > 0);
    need(cases, missing, "a block left un-bitshuffled (elements not a multiple of 8)",
        c -> c.get("unbitshuffled_blocks").asInt() > 0);
    need(cases, missing, "typesize above 16 (never split)", c -> c.get("typesize").asInt() > 16
        && !c.get("memcpyed").asBoolean());
    assertTrue(missing.isEmpty(), "no fixture has " + missing + " (c-blosc " + manifest.get("blosc_version") + ")");
  }

  private static void need(List<JsonNode> cases, List<String> missing, String what, Predicate<JsonNode> p) {
    if (cases.stream().noneMatch(p)) {
      missing.add(what);
    }
  }

  @Test
  void snappyIsRefusedByName() throws Exception {
    assumeTrue(manifest.get("snappy").isObject(), "this numcodecs has no snappy: skipping");
    byte[] chunk = Files.readAllBytes(dir.resolve("snappy.blosc"));
    BloscFormatException e = assertThrows(BloscFormatException.class, () -> BloscDecoder.decode(chunk));
    assertTrue(e.getMessage().startsWith("Blosc codec snappy is not supported"), e.getMessage());
  }

  @Test
  void aChunkOfTheWrongSizeIsRefusedBeforeDecoding() throws Exception {
    byte[] chunk = Files.readAllBytes(dir.resolve("zstd-bitshuffle-int16-large.blosc"));
    BloscFormatException e = assertThrows(BloscFormatException.class, () -> BloscDecoder.decode(chunk, 1000));
    assertEquals("Blosc chunk decodes to 300002 bytes, the array's chunk holds 1000"
        + " (truncated, or shape/chunks/dtype disagree with the data)", e.getMessage());
  }

  @Test
  void everyTruncationIsAFormatError() throws Exception {
    for (String name : List.of("zstd-bitshuffle-int16-large", "lz4-shuffle-float32-bigblocks",
        "blosclz-shuffle-int16-smooth", "zlib-bitshuffle-float32-smallblocks", "lz4-noshuffle-int16-tiny")) {
      byte[] chunk = Files.readAllBytes(dir.resolve(name + ".blosc"));
      for (int len : new int[] {0, 1, 15, 16, 17, 20, 40, chunk.length / 2, chunk.length - 1}) {
        byte[] cut = Arrays.copyOf(chunk, Math.min(len, chunk.length - 1));
        BloscFormatException e = assertThrows(BloscFormatException.class, () -> BloscDecoder.decode(cut),
            name + " cut to " + cut.length);
        assertTrue(e.getMessage().contains("truncated"), name + " cut to " + cut.length + ": " + e.getMessage());
      }
    }
  }

  /** Damaged bytes anywhere must give a format error or (undetectably) other bytes, never a crash. */
  @Test
  void corruptedChunksFailCleanly() throws Exception {
    Random rnd = new Random(5);
    for (JsonNode c : cases()) {
      if (c.get("memcpyed").asBoolean() || c.get("nbytes").asInt() > 100_000) {
        continue;
      }
      byte[] original = Files.readAllBytes(dir.resolve(c.get("name").asText() + ".blosc"));
      for (int trial = 0; trial < 20; trial++) {
        byte[] chunk = original.clone();
        int flips = 1 + rnd.nextInt(4);
        for (int f = 0; f < flips; f++) {
          chunk[BloscHeader.SIZE + rnd.nextInt(chunk.length - BloscHeader.SIZE)] ^= (byte) (1 << rnd.nextInt(8));
        }
        try {
          BloscDecoder.decode(chunk, c.get("nbytes").asInt());
        } catch (BloscFormatException expected) {
          // the damage was detected
        } catch (RuntimeException e) {
          throw new AssertionError(c.get("name").asText() + " trial " + trial + ": " + e, e);
        }
      }
    }
  }
}
