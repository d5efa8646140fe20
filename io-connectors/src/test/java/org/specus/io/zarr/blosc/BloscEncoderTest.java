package org.specus.io.zarr.blosc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link BloscEncoder} round-tripped through {@link BloscDecoder}; no Python needed. */
class BloscEncoderTest {

  /** Test data: {@code bytes} long, elements of {@code typeSize} bytes, little-endian. */
  static byte[] data(String kind, int typeSize, int bytes, long seed) {
    Random rnd = new Random(seed);
    ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int n = bytes / typeSize;
    for (int i = 0; i < n; i++) {
      double g = rnd.nextGaussian();
      double smooth = 800 * Math.sin(i / 37.0) + rnd.nextInt(7) - 3;
      double v = switch (kind) {
        case "gauss" -> g; // a whitened trace: unit-variance noise
        case "smooth" -> smooth;
        default -> 0;
      };
      switch (typeSize) {
        case 2 -> b.putShort((short) Math.round(kind.equals("gauss") ? 200 * v : v));
        case 4 -> b.putFloat((float) v);
        default -> {
          for (int k = 0; k < typeSize; k++) {
            b.put((byte) (kind.equals("gauss") ? rnd.nextInt(3) : (int) v >> (k % 2 * 8)));
          }
        }
      }
    }
    while (b.hasRemaining()) {
      b.put((byte) rnd.nextInt());
    }
    byte[] out = b.array();
    if (kind.equals("noise")) {
      rnd.nextBytes(out);
    } else if (kind.equals("mixed")) { // noise in the first 40 %: some blocks stored raw, the rest compressed
      byte[] noise = new byte[bytes * 2 / 5];
      rnd.nextBytes(noise);
      System.arraycopy(noise, 0, out, 0, noise.length);
    }
    return out;
  }

  static byte[] roundTrip(BloscEncoder.Options o, byte[] input) throws BloscFormatException {
    byte[] chunk;
    try (BloscEncoder e = new BloscEncoder(o)) {
      chunk = e.encode(input);
    }
    assertTrue(chunk.length <= input.length + BloscEncoder.MAX_OVERHEAD, "never longer than input + 16");
    BloscHeader h = BloscHeader.read(chunk);
    assertEquals(chunk.length, h.cbytes());
    assertEquals(input.length, h.nbytes());
    assertEquals(o.typeSize(), h.typeSize());
    assertEquals(BloscHeader.ZSTD, h.codec());
    assertEquals(2, h.version());
    assertEquals(1, h.codecVersion());
    if (!h.memcpyed()) {
      assertEquals(o.blockSizeFor(input.length), h.blockSize());
      assertEquals(BloscHeader.DONT_SPLIT, h.flags() & BloscHeader.DONT_SPLIT, "one stream per block");
      assertEquals(o.shuffle().headerFlag(), h.flags() & (BloscHeader.BYTE_SHUFFLE | BloscHeader.BIT_SHUFFLE));
      assertTrue(chunk.length < input.length + BloscEncoder.MAX_OVERHEAD, "memcpyed unless smaller");
    }
    byte[] back = BloscDecoder.decode(chunk, input.length);
    assertArrayEquals(input, back);
    return chunk;
  }

  @Test
  void everyShuffleTypeSizeAndAwkwardSizeRoundTrips() throws Exception {
    int[] sizes = {0, 1, 5, 127, 128, 129, 1001, 4099, 32 * 1024 + 6, 65_539, 200_003};
    long seed = 0;
    for (int typeSize : new int[] {2, 4, 1, 3, 8}) {
      for (ShuffleMode shuffle : ShuffleMode.values()) {
        for (String kind : List.of("gauss", "smooth", "noise", "mixed")) {
          for (int size : sizes) {
            for (int blockSize : new int[] {0, 600, 128}) {
              if (blockSize == 128 && size > 5000) {
                continue;
              }
              BloscEncoder.Options o = new BloscEncoder.Options(1 + (int) (seed % 5), shuffle, typeSize, blockSize);
              roundTrip(o, data(kind, typeSize, size, seed++));
            }
          }
        }
      }
    }
  }

  @Test
  void aWholeTileOfInt16AndFloat32RoundTripsAtTheLevelsToChooseFrom() throws Exception {
    for (int typeSize : new int[] {2, 4}) {
      byte[] tile = data("gauss", typeSize, 3001 * 384 * typeSize, 7);
      for (int clevel : new int[] {1, 3}) {
        for (ShuffleMode shuffle : ShuffleMode.values()) {
          byte[] chunk = roundTrip(BloscEncoder.Options.zstd(clevel, shuffle, typeSize), tile);
          if (shuffle != ShuffleMode.NOSHUFFLE) {
            assertTrue(chunk.length < tile.length * 0.95, "shuffled Gaussian data compresses: " + chunk.length
                + " of " + tile.length);
          }
        }
      }
    }
  }

  @Test
  void incompressibleTinyAndLevelZeroChunksAreStoredAsTheyAre() throws Exception {
    for (ShuffleMode shuffle : ShuffleMode.values()) {
      for (byte[] input : List.of(data("noise", 4, 100_000, 1), data("smooth", 2, 127, 2))) {
        byte[] chunk = roundTrip(BloscEncoder.Options.zstd(5, shuffle, 4), input);
        assertTrue(BloscHeader.read(chunk).memcpyed());
        assertEquals(input.length + 16, chunk.length);
        assertArrayEquals(input, Arrays.copyOfRange(chunk, 16, chunk.length));
      }
      byte[] chunk = roundTrip(BloscEncoder.Options.zstd(0, shuffle, 2), data("smooth", 2, 10_000, 3));
      assertTrue(BloscHeader.read(chunk).memcpyed());
    }
  }

  @Test
  void blocksZstdCannotShrinkAreStoredRawInsideACompressedChunk() throws Exception {
    byte[] input = data("mixed", 2, 1 << 20, 4);
    byte[] chunk = roundTrip(new BloscEncoder.Options(1, ShuffleMode.SHUFFLE, 2, 32 * 1024), input);
    BloscHeader h = BloscHeader.read(chunk);
    assertTrue(!h.memcpyed());
    int raw = 0;
    int compressed = 0;
    for (int b = 0; b < h.blockCount(); b++) {
      int start = BloscHeader.int32(chunk, 16 + 4 * b);
      int size = BloscHeader.int32(chunk, start);
      if (size == h.blockBytes(b)) {
        raw++;
      } else {
        compressed++;
      }
    }
    assertTrue(raw > 0 && compressed > 0, raw + " raw and " + compressed + " compressed blocks");
  }

  @Test
  void heapDirectSlicedAndReadOnlyBuffersGiveTheSameBytes() throws Exception {
    byte[] input = data("gauss", 4, 300_004, 5);
    for (ShuffleMode shuffle : ShuffleMode.values()) {
      BloscEncoder.Options o = BloscEncoder.Options.zstd(3, shuffle, 4);
      byte[] expected = roundTrip(o, input);
      List<Function<byte[], ByteBuffer>> sources = List.of(
          ByteBuffer::wrap,
          a -> ByteBuffer.allocateDirect(a.length).put(a).flip(),
          a -> ByteBuffer.wrap(a).asReadOnlyBuffer(),
          a -> {
            // the chunk in the middle of a larger buffer, with an array offset
            ByteBuffer big = ByteBuffer.allocate(a.length + 20);
            big.position(7);
            ByteBuffer s = big.slice();
            s.put(a).flip();
            return s;
          },
          a -> {
            ByteBuffer d = ByteBuffer.allocateDirect(a.length + 9);
            d.position(9);
            d.put(a);
            d.position(9);
            return d;
          });
      List<Function<Integer, ByteBuffer>> outputs = List.of(
          ByteBuffer::allocate,
          ByteBuffer::allocateDirect,
          n -> ByteBuffer.allocate(n + 11).position(11).slice().position(0),
          n -> ByteBuffer.allocateDirect(n + 5).position(5));
      try (BloscEncoder e = new BloscEncoder(o)) {
        for (Function<byte[], ByteBuffer> source : sources) {
          for (Function<Integer, ByteBuffer> output : outputs) {
            ByteBuffer src = source.apply(input);
            int srcStart = src.position();
            ByteBuffer dst = output.apply(BloscEncoder.maxEncodedSize(input.length)).order(ByteOrder.BIG_ENDIAN);
            int dstStart = dst.position();
            int n = e.encode(src, dst);
            assertEquals(expected.length, n);
            assertEquals(srcStart + input.length, src.position(), "source consumed");
            assertEquals(dstStart + n, dst.position(), "output advanced");
            assertEquals(ByteOrder.BIG_ENDIAN, dst.order(), "caller's byte order left alone");
            byte[] got = new byte[n];
            dst.get(dstStart, got);
            assertArrayEquals(expected, got, shuffle + " " + src + " -> " + dst);
          }
        }
      }
    }
  }

  @Test
  void oneEncoderEncodesManyChunksOfDifferentSizes() throws Exception {
    try (BloscEncoder e = new BloscEncoder(BloscEncoder.Options.zstd(1, ShuffleMode.BITSHUFFLE, 2))) {
      for (int size : new int[] {100_000, 3000, 2_000_002, 0, 70_000}) {
        byte[] input = data("gauss", 2, size, size);
        assertArrayEquals(input, BloscDecoder.decode(e.encode(input), size));
      }
    }
  }

  @Test
  void anOutputWithoutRoomForTheWorstCaseIsRefused() {
    try (BloscEncoder e = new BloscEncoder(BloscEncoder.Options.zstd(1, ShuffleMode.SHUFFLE, 2))) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> e.encode(ByteBuffer.allocate(1000), ByteBuffer.allocate(1015)));
      assertEquals("output has 1015 bytes left, Blosc may need 1016 for 1000 bytes of input", x.getMessage());
    }
  }

  @Test
  void optionsFollowCblosc() {
    BloscEncoder.Options auto = new BloscEncoder.Options(1, ShuffleMode.SHUFFLE, 4, 0);
    assertEquals(1, auto.zstdLevel());
    assertEquals(5, BloscEncoder.Options.zstd(3, ShuffleMode.SHUFFLE, 4).zstdLevel());
    assertEquals(22, BloscEncoder.Options.zstd(9, ShuffleMode.SHUFFLE, 4).zstdLevel());
    assertEquals(32 * 1024, auto.blockSizeFor(46_080_000));
    assertEquals(1000, auto.blockSizeFor(1000));
    assertEquals(1000, auto.withBlockSize(1002).blockSizeFor(50_000), "a multiple of the type size");
    assertEquals(256 * 1024, new BloscEncoder.Options(5, ShuffleMode.SHUFFLE, 2, 0).blockSizeFor(1 << 24));
    BloscEncoder.Options o = BloscEncoder.Options.zstd(1, ShuffleMode.SHUFFLE, 4);
    assertEquals(1 << 20, o.blockSizeFor(46_080_000));
    assertEquals(1_048_572, BloscEncoder.Options.zstd(1, ShuffleMode.SHUFFLE, 12).blockSizeFor(46_080_000));
    assertEquals(4000, o.blockSizeFor(4000));
    assertEquals(Map.of("name", "blosc", "configuration", Map.of("cname", "zstd", "clevel", 1, "shuffle", "shuffle",
        "typesize", 4, "blocksize", 1 << 20)), o.zarrV3Codec());
    assertEquals(Map.of("id", "blosc", "cname", "zstd", "clevel", 3, "shuffle", 2, "blocksize", 0),
        new BloscEncoder.Options(3, ShuffleMode.BITSHUFFLE, 2, 0).numcodecsCompressor());
    assertThrows(IllegalArgumentException.class, () -> BloscEncoder.Options.zstd(10, ShuffleMode.SHUFFLE, 4));
    assertThrows(IllegalArgumentException.class, () -> BloscEncoder.Options.zstd(1, ShuffleMode.SHUFFLE, 256));
    assertThrows(IllegalArgumentException.class, () -> o.withBlockSize(64));
    assertEquals(ShuffleMode.BITSHUFFLE, ShuffleMode.of("bitshuffle"));
    assertEquals(ShuffleMode.SHUFFLE, ShuffleMode.of("1"));
  }
}
