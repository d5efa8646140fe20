package org.specus.io.zarr.blosc;

/**
 * Undoes Blosc's shuffle filters on one decoded block of {@code len} bytes, {@code typeSize} bytes
 * per element, from {@code src} into {@code dst} (different arrays or regions).
 */
public final class Unshuffle {
  private Unshuffle() {}

  /**
   * Byte shuffle stores byte {@code j} of every element together: byte {@code j} of element {@code i}
   * is at {@code j * n + i} for the block's {@code n = len / typeSize} elements. The
   * {@code len % typeSize} bytes after them are stored as they are.
   */
  public static void bytes(int typeSize, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
    int n = len / typeSize;
    if (typeSize == 2) {
      for (int i = 0, d = dstOff; i < n; i++, d += 2) {
        dst[d] = src[srcOff + i];
        dst[d + 1] = src[srcOff + n + i];
      }
    } else {
      for (int j = 0; j < typeSize; j++) {
        int s = srcOff + j * n;
        for (int i = 0, d = dstOff + j; i < n; i++, d += typeSize) {
          dst[d] = src[s + i];
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
   * {@code len % typeSize} bytes after the elements are kept as they are.
   */
  public static void bits(int typeSize, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
    int n = len / typeSize;
    if (n % 8 != 0) {
      System.arraycopy(src, srcOff, dst, dstOff, len);
      return;
    }
    int row = n / 8;
    int groupStride = 8 * typeSize;
    for (int j = 0; j < typeSize; j++) {
      int rows = srcOff + j * 8 * row;
      for (int g = 0, d = dstOff + j; g < row; g++, d += groupStride) {
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
        x = transpose8x8(x);
        // Now byte m of x is byte j of element 8g + m.
        for (int m = 0; m < 8; m++) {
          dst[d + m * typeSize] = (byte) (x >>> (8 * m));
        }
      }
    }
    int done = n * typeSize;
    System.arraycopy(src, srcOff + done, dst, dstOff + done, len - done);
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
