package org.specus.io.zarr.blosc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoder's kernels on hand-made inputs, checked against their definitions (no Python needed). */
class KernelsTest {

  @Test
  void transposeIsItsOwnInverseAndMovesBitRcToCr() {
    Random rnd = new Random(1);
    for (int t = 0; t < 1000; t++) {
      long x = rnd.nextLong();
      long y = Unshuffle.transpose8x8(x);
      for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 8; c++) {
          assertEquals((x >>> (8 * r + c)) & 1, (y >>> (8 * c + r)) & 1);
        }
      }
      assertEquals(x, Unshuffle.transpose8x8(y));
    }
  }

  @Test
  void bitUnshuffleInvertsTheBitshuffleDefinition() {
    Random rnd = new Random(2);
    for (int typeSize : new int[] {1, 2, 4, 8, 12}) {
      for (int n : new int[] {8, 64, 1000, 1003, 4096 + 72}) {
        int len = n * typeSize + (typeSize > 1 ? 1 : 0); // a stray byte after the elements
        byte[] data = new byte[len];
        rnd.nextBytes(data);
        byte[] shuffled = data.clone();
        if (n % 8 == 0) {
          java.util.Arrays.fill(shuffled, 0, n * typeSize, (byte) 0);
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < typeSize; j++) {
              for (int k = 0; k < 8; k++) {
                int bit = (data[i * typeSize + j] >>> k) & 1;
                int at = (j * 8 + k) * (n / 8) + i / 8;
                shuffled[at] |= (byte) (bit << (i % 8));
              }
            }
          }
        }
        byte[] back = new byte[len];
        Unshuffle.bits(typeSize, shuffled, 0, back, 0, len, new byte[len]);
        assertArrayEquals(data, back, "typesize " + typeSize + ", " + n + " elements");
      }
    }
  }

  @Test
  void byteUnshuffleInvertsTheShuffleDefinition() {
    Random rnd = new Random(3);
    for (int typeSize : new int[] {2, 3, 4, 8}) {
      int n = 101;
      int len = n * typeSize + typeSize - 1; // bytes after the last whole element stay where they are
      byte[] data = new byte[len];
      rnd.nextBytes(data);
      byte[] shuffled = data.clone();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < typeSize; j++) {
          shuffled[j * n + i] = data[i * typeSize + j];
        }
      }
      byte[] back = new byte[len + 5];
      Unshuffle.bytes(typeSize, shuffled, 0, back, 5, len);
      assertArrayEquals(data, java.util.Arrays.copyOfRange(back, 5, len + 5));
    }
  }

  @Test
  void shuffleKernelsAreTheInversesOfTheUnshuffleOnes() {
    Random rnd = new Random(4);
    for (int typeSize : new int[] {1, 2, 3, 4, 8, 12}) {
      for (int len : new int[] {0, 1, 7, 64, 96, 1000, 1003, 4096, 4099}) {
        byte[] data = new byte[len];
        rnd.nextBytes(data);
        byte[] shuffled = new byte[len + 3];
        byte[] back = new byte[len + 2];
        Shuffle.bytes(typeSize, data, 0, shuffled, 3, len);
        if (typeSize > 1) {
          Unshuffle.bytes(typeSize, shuffled, 3, back, 2, len);
        } else {
          System.arraycopy(shuffled, 3, back, 2, len); // 1-byte types are not byte-shuffled
        }
        assertArrayEquals(data, java.util.Arrays.copyOfRange(back, 2, len + 2), "bytes, typesize " + typeSize);
        Shuffle.bits(typeSize, data, 0, shuffled, 3, len, new byte[len]);
        Unshuffle.bits(typeSize, shuffled, 3, back, 2, len, new byte[len]);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(back, 2, len + 2), "bits, typesize " + typeSize);
      }
    }
  }

  @Test
  void shuffleKernelsMatchTheirDefinitions() {
    Random rnd = new Random(6);
    for (int typeSize : new int[] {2, 4, 3, 1}) {
      // whole 64-element batches, a tail of groups, a tail of elements, too few for bitshuffle
      for (int n : new int[] {200, 64, 1024 + 64 + 8, 1003, 6}) {
        int len = n * typeSize + (typeSize > 1 ? 1 : 0); // a stray byte after the elements
        byte[] data = new byte[len];
        rnd.nextBytes(data);
        byte[] bytes = data.clone();
        byte[] bits = data.clone();
        if (typeSize > 1) {
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < typeSize; j++) {
              bytes[j * n + i] = data[i * typeSize + j];
            }
          }
        }
        if (n % 8 == 0) {
          java.util.Arrays.fill(bits, 0, n * typeSize, (byte) 0);
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < typeSize; j++) {
              for (int k = 0; k < 8; k++) {
                int bit = (data[i * typeSize + j] >>> k) & 1;
                bits[(j * 8 + k) * (n / 8) + i / 8] |= (byte) (bit << (i % 8));
              }
            }
          }
        }
        byte[] got = new byte[len + 3];
        Shuffle.bytes(typeSize, data, 0, got, 3, len);
        assertArrayEquals(bytes, java.util.Arrays.copyOfRange(got, 3, len + 3), "byte shuffle, typesize "
            + typeSize + ", " + n + " elements");
        Shuffle.bits(typeSize, data, 0, got, 3, len, new byte[len]);
        assertArrayEquals(bits, java.util.Arrays.copyOfRange(got, 3, len + 3), "bitshuffle, typesize "
            + typeSize + ", " + n + " elements");
      }
    }
  }

  @Test
  void lz4LongLiteralsAndAnOverlappingRun() throws Exception {
    // 20 literals (15 + 5), then a match of 4 + 15 + 255 + 1 = 275 bytes at offset 1, then 5 literals.
    byte[] src = new byte[1 + 1 + 20 + 2 + 2 + 1 + 5];
    int p = 0;
    src[p++] = (byte) 0xFF;
    src[p++] = 5;
    for (int i = 0; i < 20; i++) {
      src[p++] = (byte) ('a' + i);
    }
    src[p++] = 1;
    src[p++] = 0;
    src[p++] = (byte) 255;
    src[p++] = 1;
    src[p++] = 0x50;
    for (int i = 0; i < 5; i++) {
      src[p++] = (byte) ('V' + i);
    }
    byte[] out = new byte[300];
    int srcLen = p;
    assertEquals(300, Lz4Block.decompress(src, 0, srcLen, out, 0, 300));
    for (int i = 20; i < 295; i++) {
      assertEquals('t', out[i]);
    }
    assertEquals("VWXYZ", new String(out, 295, 5, java.nio.charset.StandardCharsets.US_ASCII));
    // A match that reaches before the block, and one past the output, are errors.
    byte[] bad = {0x10, 'x', 5, 0, 0x00};
    assertTrue(assertThrows(BloscFormatException.class, () -> Lz4Block.decompress(bad, 0, bad.length, out, 0, 300))
        .getMessage().contains("offset 5"));
    assertThrows(BloscFormatException.class, () -> Lz4Block.decompress(src, 0, srcLen, out, 0, 299));
  }

  @Test
  void blosclzNearRunsAndFarMatches() throws Exception {
    // 10000 literal bytes (in runs of 32), a 3-byte match 10000 back (far form), a run of 9 bytes
    // repeating the last byte (distance 1, length code 6 + extension 0).
    java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
    byte[] expected = new byte[10000 + 3 + 9];
    Random rnd = new Random(4);
    for (int i = 0; i < 10000; i++) {
      expected[i] = (byte) rnd.nextInt();
    }
    for (int i = 0; i < 10000; i += 32) {
      int n = Math.min(32, 10000 - i);
      s.write(n - 1);
      s.write(expected, i, n);
    }
    System.arraycopy(expected, 0, expected, 10000, 3); // 10000 back: far = 10000 - 8192 = 1808
    java.util.Arrays.fill(expected, 10003, 10012, expected[10002]);
    s.write((1 << 5) | 31);
    s.write(255);
    s.write(1808 >> 8);
    s.write(1808 & 255);
    s.write(7 << 5);
    s.write(0);
    s.write(0);
    byte[] src = s.toByteArray();
    src[0] |= 1 << 5; // the marker blosclz puts on the first byte
    byte[] out = new byte[expected.length];
    assertEquals(expected.length, BloscLz.decompress(src, 0, src.length, out, 0, out.length));
    assertArrayEquals(expected, out);
    assertThrows(BloscFormatException.class, () -> BloscLz.decompress(src, 0, src.length - 1, out, 0, out.length));
  }
}
