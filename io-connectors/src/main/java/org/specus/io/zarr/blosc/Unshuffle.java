package org.specus.io.zarr.blosc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Undoes Blosc's shuffle filters on one decoded block of {@code len} bytes, {@code typeSize} bytes
 * per element, from {@code src} into {@code dst} (different arrays or regions). The 2- and 4-byte
 * cases move 4 or 8 bytes at a time, like {@link Shuffle}'s.
 */
public final class Unshuffle {
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Unshuffle() {}

  /**
   * Byte shuffle stores byte {@code j} of every element together: byte {@code j} of element {@code i}
   * is at {@code j * n + i} for the block's {@code n = len / typeSize} elements. The
   * {@code len % typeSize} bytes after them are stored as they are.
   */
  public static void bytes(int typeSize, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
    int n = len / typeSize;
    int i = 0;
    if (typeSize == 2) {
      int hi = srcOff + n;
      for (; i + 4 <= n; i += 4) {
        // [a0 b0 c0 d0 | a1 b1 c1 d1] -> [a0 a1 b0 b1 c0 c1 d0 d1]
        long x = ((int) INT.get(src, srcOff + i) & 0xFFFFFFFFL) | (long) (int) INT.get(src, hi + i) << 32;
        x = swap(x, 16, 0x00000000FFFF0000L);
        x = swap(x, 8, 0x0000FF000000FF00L);
        LONG.set(dst, dstOff + 2 * i, x);
      }
      for (int d = dstOff + 2 * i; i < n; i++, d += 2) {
        dst[d] = src[srcOff + i];
        dst[d + 1] = src[hi + i];
      }
    } else if (typeSize == 4) {
      int s1 = srcOff + n;
      int s2 = s1 + n;
      int s3 = s2 + n;
      for (; i + 4 <= n; i += 4) {
        // A 4x4 byte transpose (its own inverse): int k holds plane k's bytes of elements i..i+3.
        int a = (int) INT.get(src, srcOff + i);
        int b = (int) INT.get(src, s1 + i);
        int c = (int) INT.get(src, s2 + i);
        int d = (int) INT.get(src, s3 + i);
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
        int o = dstOff + 4 * i;
        INT.set(dst, o, a);
        INT.set(dst, o + 4, b);
        INT.set(dst, o + 8, c);
        INT.set(dst, o + 12, d);
      }
    }
    if (typeSize != 2) {
      for (int j = 0; j < typeSize; j++) {
        int s = srcOff + j * n;
        for (int e = i, d = dstOff + i * typeSize + j; e < n; e++, d += typeSize) {
          dst[d] = src[s + e];
        }
      }
    }
    int done = n * typeSize;
    System.arraycopy(src, srcOff + done, dst, dstOff + done, len - done);
  }

  /**
   * Bitshuffle (Masui's, as c-blosc 1.x applies it per block) stores bit {@code k} of byte {@code j}
   * of every element together: row {@code j * 8 + k} is {@code n / 8} bytes, and bit {@code m} of
   * its byte {@code g} is that bit of element {@code 8 * g + m}. c-blosc 1.x bitshuffles a block only
   * when {@code n} is a multiple of 8 and otherwise stores the whole block as it is; the
   * {@code len % typeSize} bytes after the elements are kept as they are. Uses {@code scratch} (at
   * least {@code len} bytes) for the byte planes.
   */
  public static void bits(int typeSize, byte[] src, int srcOff, byte[] dst, int dstOff, int len, byte[] scratch) {
    int n = len / typeSize;
    if (n % 8 != 0) {
      System.arraycopy(src, srcOff, dst, dstOff, len);
      return;
    }
    int row = n / 8;
    // First the bits of each byte plane back into bytes (plane j into scratch at j * n) ...
    for (int j = 0; j < typeSize; j++) {
      int rows = srcOff + j * n;
      int plane = j * n;
      int g = 0;
      for (; g + 8 <= row; g += 8) {
        // 8 bytes of each of the 8 rows: a byte transpose gives, per group, byte k = its row k's byte ...
        long x0 = (long) LONG.get(src, rows + g);
        long x1 = (long) LONG.get(src, rows + row + g);
        long x2 = (long) LONG.get(src, rows + 2 * row + g);
        long x3 = (long) LONG.get(src, rows + 3 * row + g);
        long x4 = (long) LONG.get(src, rows + 4 * row + g);
        long x5 = (long) LONG.get(src, rows + 5 * row + g);
        long x6 = (long) LONG.get(src, rows + 6 * row + g);
        long x7 = (long) LONG.get(src, rows + 7 * row + g);
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
        // ... and a bit transpose gives its 8 elements' byte j.
        int p = plane + 8 * g;
        LONG.set(scratch, p, transpose8x8(x0));
        LONG.set(scratch, p + 8, transpose8x8(x1));
        LONG.set(scratch, p + 16, transpose8x8(x2));
        LONG.set(scratch, p + 24, transpose8x8(x3));
        LONG.set(scratch, p + 32, transpose8x8(x4));
        LONG.set(scratch, p + 40, transpose8x8(x5));
        LONG.set(scratch, p + 48, transpose8x8(x6));
        LONG.set(scratch, p + 56, transpose8x8(x7));
      }
      for (; g < row; g++) {
        int s = rows + g;
        // Byte k of x is row k's byte g: an 8x8 bit matrix, element m in bit m of every byte.
        long x = (src[s] & 0xFFL)
            | (src[s + row] & 0xFFL) << 8
            | (src[s + 2 * row] & 0xFFL) << 16
            | (src[s + 3 * row] & 0xFFL) << 24
            | (src[s + 4 * row] & 0xFFL) << 32
            | (src[s + 5 * row] & 0xFFL) << 40
            | (src[s + 6 * row] & 0xFFL) << 48
            | (src[s + 7 * row] & 0xFFL) << 56;
        LONG.set(scratch, plane + 8 * g, transpose8x8(x));
      }
    }
    // ... then the planes back into elements.
    if (typeSize > 1) {
      bytes(typeSize, scratch, 0, dst, dstOff, n * typeSize);
    } else {
      System.arraycopy(scratch, 0, dst, dstOff, n);
    }
    int done = n * typeSize;
    System.arraycopy(src, srcOff + done, dst, dstOff + done, len - done);
  }

  /** Swaps the bits selected by {@code mask} with those {@code shift} bits above them. */
  private static long swap(long x, int shift, long mask) {
    long t = (x ^ (x >>> shift)) & mask;
    return x ^ t ^ (t << shift);
  }

  /** Transposes the 8x8 bit matrix whose row r is byte r and column c bit c (bit 8r+c to 8c+r). */
  static long transpose8x8(long x) {
    long t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
    x ^= t ^ (t << 7);
    t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
    x ^= t ^ (t << 14);
    t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
    x ^= t ^ (t << 28);
    return x;
  }
}
