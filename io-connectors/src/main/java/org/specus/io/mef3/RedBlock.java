package org.specus.io.mef3;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes one RED block (MEF 3.0's "range encoded differences"): a 304-byte header, then the
 * sample-to-sample differences range-coded with the block's own 256-entry symbol table. A
 * difference outside a signed byte is sent as the escape byte {@code -128} followed by the full
 * 32-bit value (a "key sample"); the first sample is always one, its escape implied.
 *
 * <p>Plain Java on arrays so it can be tested without a session around it; the caller supplies the
 * whole block, as the index sized it.
 */
final class RedBlock {
  static final int HEADER_BYTES = 304;
  static final int DISCONTINUITY = 1;
  private static final int LEVEL_1_ENCRYPTED = 2;
  private static final int LEVEL_2_ENCRYPTED = 4;
  private static final int STATISTICS_OFFSET = 48;
  private static final int EXTRA_BITS = 7;
  private static final int BOTTOM_VALUE = 1 << 23;
  private static final byte KEY_SAMPLE = -128;

  private RedBlock() {}

  /** Number of samples a block says it holds (header field at 32). */
  static int numSamples(byte[] block) {
    return le(block).getInt(32);
  }

  /**
   * Decodes {@code block} into {@code out[0, numSamples)} as stored counts.
   *
   * @param keys needed only when the block's symbol table is encrypted
   * @throws IllegalArgumentException naming what is wrong when the block is damaged
   */
  static int decode(byte[] block, int blockBytes, MefKeys keys, int[] out) {
    if (blockBytes < HEADER_BYTES || blockBytes > block.length) {
      throw new IllegalArgumentException("a RED block of " + blockBytes + " bytes (a header alone is " + HEADER_BYTES + ")");
    }
    ByteBuffer h = le(block);
    int storedCrc = h.getInt(0);
    int flags = block[4] & 0xFF;
    float slope = h.getFloat(16);
    float intercept = h.getFloat(20);
    float scale = h.getFloat(24);
    int differenceBytes = h.getInt(28);
    int n = h.getInt(32);
    int declaredBytes = h.getInt(36);
    if (declaredBytes != blockBytes) {
      throw new IllegalArgumentException("its header says " + Integer.toUnsignedString(declaredBytes)
          + " bytes, the index " + blockBytes);
    }
    if (MefCrc.of(block, 4, blockBytes) != storedCrc) {
      throw new IllegalArgumentException("checksum mismatch (the block is damaged)");
    }
    if (n < 0 || n > out.length) {
      throw new IllegalArgumentException("it claims " + Integer.toUnsignedString(n) + " samples, more than the index's "
          + out.length);
    }
    if (n == 0) {
      return 0;
    }
    byte[] counts = new byte[256];
    System.arraycopy(block, STATISTICS_OFFSET, counts, 0, 256);
    int level = (flags & LEVEL_1_ENCRYPTED) != 0 ? 1 : (flags & LEVEL_2_ENCRYPTED) != 0 ? 2 : 0;
    if (level > 0) {
      byte[] key = keys.forLevel(level);
      if (key == null) {
        throw new IllegalArgumentException("its data are encrypted at level " + level + " and the password given does not"
            + " open that level");
      }
      MefKeys.decrypt(counts, 0, 256, key);
    }
    int symbols = differenceBytes - 1; // the first key sample's escape is not coded
    if (symbols < 4 || symbols > 5 * n) {
      throw new IllegalArgumentException("it claims " + Integer.toUnsignedString(differenceBytes)
          + " difference bytes for " + n + " samples");
    }
    byte[] diffs = rangeDecode(block, HEADER_BYTES, blockBytes, counts, symbols);
    rebuild(diffs, n, out);
    if (scale > 1f || slope != 0f || intercept != 0f) {
      retrend(out, n, scale, slope, intercept);
    }
    return n;
  }

  private static byte[] rangeDecode(byte[] in, int from, int to, byte[] counts, int symbols) {
    int[] cumulative = new int[257];
    for (int i = 0; i < 256; i++) {
      cumulative[i + 1] = cumulative[i] + (counts[i] & 0xFF);
    }
    int total = cumulative[256];
    if (total == 0) {
      throw new IllegalArgumentException("its symbol table is empty");
    }
    byte[] diffs = new byte[symbols];
    int p = from;
    // Unsigned 32-bit arithmetic throughout, as the coder was written for: kept in longs.
    long inByte = p < to ? in[p++] & 0xFF : 0;
    long low = inByte >>> (8 - EXTRA_BITS);
    long range = 1L << EXTRA_BITS;
    for (int k = 0; k < symbols; k++) {
      while (range <= BOTTOM_VALUE) {
        low = ((low << 8) | ((inByte << EXTRA_BITS) & 0xFF)) & 0xFFFFFFFFL;
        inByte = p < to ? in[p++] & 0xFF : 0;
        low |= inByte >>> (8 - EXTRA_BITS);
        range = (range << 8) & 0xFFFFFFFFL;
      }
      long perCount = range / total;
      if (perCount == 0) {
        throw new IllegalArgumentException("its coded differences are inconsistent with its symbol table");
      }
      long c = Math.min(low / perCount, total - 1);
      int s;
      if (c > cumulative[128]) {
        s = 256;
        while (cumulative[s] > c) {
          s--;
        }
      } else {
        s = 0;
        while (cumulative[s + 1] <= c) {
          s++;
        }
      }
      long sub = perCount * cumulative[s];
      low = (low - sub) & 0xFFFFFFFFL;
      range = s < 255 ? perCount * (counts[s] & 0xFF) : range - sub;
      diffs[k] = (byte) s;
    }
    return diffs;
  }

  private static void rebuild(byte[] diffs, int n, int[] out) {
    int value = 0;
    int d = -1; // the implied escape of the first sample
    for (int i = 0; i < n; i++) {
      if (d < 0 || diffs[d] == KEY_SAMPLE) {
        int at = d + 1;
        if (at + 4 > diffs.length) {
          throw new IllegalArgumentException("its differences end in the middle of sample " + i + " of " + n);
        }
        value = (diffs[at] & 0xFF) | (diffs[at + 1] & 0xFF) << 8 | (diffs[at + 2] & 0xFF) << 16 | diffs[at + 3] << 24;
        d = at + 4;
      } else {
        value += diffs[d++];
      }
      out[i] = value;
      if (i + 1 < n && d >= diffs.length) {
        throw new IllegalArgumentException("its differences end after sample " + (i + 1) + " of " + n);
      }
    }
  }

  /** Undoes a lossy block's scaling, then its detrending, in that order, rounding as the writer's library does. */
  private static void retrend(int[] out, int n, float scale, float slope, float intercept) {
    if (scale > 1f) {
      for (int i = 0; i < n; i++) {
        out[i] = round(out[i] * (double) scale);
      }
    }
    if (slope != 0f || intercept != 0f) {
      for (int i = 0; i < n; i++) {
        out[i] = round(out[i] + (double) slope * (i + 1) + intercept);
      }
    }
  }

  private static int round(double v) {
    if (v >= 0) {
      v += 0.5;
      return v >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }
    v -= 0.5;
    return v <= -Integer.MAX_VALUE ? -Integer.MAX_VALUE : (int) v;
  }

  private static ByteBuffer le(byte[] block) {
    return ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
  }
}
