package org.specus.io.zarr.blosc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Blosc's shuffle filters as c-blosc 1.x applies them to one block of {@code len} bytes,
 * {@code typeSize} bytes per element, from {@code src} into {@code dst} (different arrays or
 * regions): the inverses of {@link Unshuffle}'s, with the same layouts. The 2- and 4-byte cases
 * move 4 or 8 bytes at a time (byte transposes within a {@code long}); other sizes and the tails
 * go byte by byte.
 */
public final class Shuffle {
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Shuffle() {}

  /**
   * Byte shuffle: byte {@code j} of element {@code i} goes to {@code j * n + i} for the block's
   * {@code n = len / typeSize} elements; the {@code len % typeSize} bytes after them stay as they are.
   * A 1-byte type is copied (c-blosc does not shuffle it).
   */
  public static void bytes(int typeSize, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
    int n = typeSize > 1 ? len / typeSize : 0;
    int i = 0;
    if (typeSize == 2) {
      int hi = dstOff + n;
      for (; i + 4 <= n; i += 4) {
        // [a0 a1 b0 b1 c0 c1 d0 d1] -> [a0 b0 c0 d0 | a1 b1 c1 d1]
        long x = (long) LONG.get(src, srcOff + 2 * i);
        x = swap(x, 8, 0x0000FF000000FF00L);
        x = swap(x, 16, 0x00000000FFFF0000L);
        INT.set(dst, dstOff + i, (int) x);
        INT.set(dst, hi + i, (int) (x >>> 32));
      }
    } else if (typeSize == 4) {
      int d1 = dstOff + n;
      int d2 = d1 + n;
      int d3 = d2 + n;
      for (; i + 4 <= n; i += 4) {
        // A 4x4 byte transpose: int k holds element i + k, then plane k's bytes of the 4 elements.
        int s = srcOff + 4 * i;
        int a = (int) INT.get(src, s);
        int b = (int) INT.get(src, s + 4);
        int c = (int) INT.get(src, s + 8);
        int d = (int) INT.get(src, s + 12);
        int t = ((a >>> 8) ^ b) & 0x00FF00FF;
        b ^= t;
        a ^= t << 8;
        t = ((c >>> 8) ^ d) & 0x00FF00FF;
        d ^= t;
        c ^= t << 8;
        t = ((a >>> 16) ^ c) & 0x0000FFFF;
        c ^= t;
        a ^= t << 16;
        t = ((b >>> 16) ^ d) & 0x0000FFFF;
        d ^= t;
        b ^= t << 16;
        INT.set(dst, dstOff + i, a);
        INT.set(dst, d1 + i, b);
        INT.set(dst, d2 + i, c);
        INT.set(dst, d3 + i, d);
      }
    }
    for (int j = 0; j < typeSize && n > 0; j++) {
      int d = dstOff + j * n;
      for (int e = i, s = srcOff + i * typeSize + j; e < n; e++, s += typeSize) {
        dst[d + e] = src[s];
      }
    }
    int done = n * typeSize;
    System.arraycopy(src, srcOff + done, dst, dstOff + done, len - done);
  }

  /**
   * Bitshuffle: row {@code j * 8 + k} ({@code n / 8} bytes) holds bit {@code k} of byte {@code j} of
   * every element, bit {@code m} of its byte {@code g} from element {@code 8 * g + m}. As in c-blosc
   * 1.x, a block whose element count is not a multiple of 8 is copied as it is; the
   * {@code len % typeSize} bytes after the elements always are. Byte-shuffles into {@code scratch}
   * (at least {@code len} bytes) first, then transposes the bits of each byte plane.
   */
  public static void bits(int typeSize, byte[] src, int srcOff, byte[] dst, int dstOff, int len, byte[] scratch) {
    int n = len / typeSize;
    if (n % 8 != 0) {
      System.arraycopy(src, srcOff, dst, dstOff, len);
      return;
    }
    if (typeSize > 1) {
      bytes(typeSize, src, srcOff, scratch, 0, n * typeSize);
    } else {
      System.arraycopy(src, srcOff, scratch, 0, n);
    }
    int row = n / 8;
    for (int j = 0; j < typeSize; j++) {
      int plane = j * n; // byte j of every element, in scratch
      int rows = dstOff + j * n; // its 8 rows in dst
      int g = 0;
      for (; g + 8 <= row; g += 8) {
        // 64 elements: 8 groups of 8 bytes, each bit-transposed (byte k = bit k of the 8 bytes) ...
        long x0 = Unshuffle.transpose8x8((long) LONG.get(scratch, plane + 8 * g));
        long x1 = Unshuffle.transpose8x8((long) LONG.get(scratch, plane + 8 * g + 8));
        long x2 = Unshuffle.transpose8x8((long) LONG.get(scratch, plane + 8 * g + 16));
        long x3 = Unshuffle.transpose8x8((long) LONG.get(scratch, plane + 8 * g + 24));
        long x4 = Unshuffle.transpose8x8((long) LONG.get(scratch, plane + 8 * g + 32));
        long x5 = Unshuffle.transpose8x8((long) LONG.get(scratch, plane + 8 * g + 40));
        long x6 = Unshuffle.transpose8x8((long) LONG.get(scratch, plane + 8 * g + 48));
        long x7 = Unshuffle.transpose8x8((long) LONG.get(scratch, plane + 8 * g + 56));
        // ... then byte-transposed, so that long k holds byte k of each group: row k's 8 bytes.
        long t;
        t = ((x0 >>> 8) ^ x1) & 0x00FF00FF00FF00FFL; x1 ^= t; x0 ^= t << 8;
        t = ((x2 >>> 8) ^ x3) & 0x00FF00FF00FF00FFL; x3 ^= t; x2 ^= t << 8;
        t = ((x4 >>> 8) ^ x5) & 0x00FF00FF00FF00FFL; x5 ^= t; x4 ^= t << 8;
        t = ((x6 >>> 8) ^ x7) & 0x00FF00FF00FF00FFL; x7 ^= t; x6 ^= t << 8;
        t = ((x0 >>> 16) ^ x2) & 0x0000FFFF0000FFFFL; x2 ^= t; x0 ^= t << 16;
        t = ((x1 >>> 16) ^ x3) & 0x0000FFFF0000FFFFL; x3 ^= t; x1 ^= t << 16;
        t = ((x4 >>> 16) ^ x6) & 0x0000FFFF0000FFFFL; x6 ^= t; x4 ^= t << 16;
        t = ((x5 >>> 16) ^ x7) & 0x0000FFFF0000FFFFL; x7 ^= t; x5 ^= t << 16;
        t = ((x0 >>> 32) ^ x4) & 0x00000000FFFFFFFFL; x4 ^= t; x0 ^= t << 32;
        t = ((x1 >>> 32) ^ x5) & 0x00000000FFFFFFFFL; x5 ^= t; x1 ^= t << 32;
        t = ((x2 >>> 32) ^ x6) & 0x00000000FFFFFFFFL; x6 ^= t; x2 ^= t << 32;
        t = ((x3 >>> 32) ^ x7) & 0x00000000FFFFFFFFL; x7 ^= t; x3 ^= t << 32;
        LONG.set(dst, rows + g, x0);
        LONG.set(dst, rows + row + g, x1);
        LONG.set(dst, rows + 2 * row + g, x2);
        LONG.set(dst, rows + 3 * row + g, x3);
        LONG.set(dst, rows + 4 * row + g, x4);
        LONG.set(dst, rows + 5 * row + g, x5);
        LONG.set(dst, rows + 6 * row + g, x6);
        LONG.set(dst, rows + 7 * row + g, x7);
      }
      for (; g < row; g++) {
        long x = Unshuffle.transpose8x8((long) LONG.get(scratch, plane + 8 * g));
        for (int k = 0; k < 8; k++) {
          dst[rows + k * row + g] = (byte) (x >>> (8 * k));
        }
      }
    }
    int done = n * typeSize;
    System.arraycopy(src, srcOff + done, dst, dstOff + done, len - done);
  }

  /** Swaps the bits selected by {@code mask} with those {@code shift} bits above them. */
  private static long swap(long x, int shift, long mask) {
    long t = (x ^ (x >>> shift)) & mask;
    return x ^ t ^ (t << shift);
  }
}
