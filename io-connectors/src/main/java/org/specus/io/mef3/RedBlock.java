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



  /** A decoder's reusable tables; one per reading thread, as blocks are decoded by the thousand. */
  static final class Decoder {
    private final byte[] counts = new byte[256];
    private final int[] cumulative = new int[257];
    // The symbol of every cumulative count: one lookup instead of a search per decoded symbol.
    private final byte[] symbolAt = new byte[256 * 255];

    /**
     * Decodes the first {@code min(limit, numSamples)} samples of {@code block} into {@code out} as
     * stored counts, and returns the block's {@code numSamples}. The differences are coded in one
     * stream, so a block's head costs less than its tail.
     *
     * @param keys needed only when the block's symbol table is encrypted
     * @throws IllegalArgumentException naming what is wrong when the block is damaged
     */
    int decode(byte[] block, int blockBytes, MefKeys keys, int[] out, int limit) {
      if (blockBytes < HEADER_BYTES || blockBytes > block.length) {
        throw new IllegalArgumentException("a RED block of " + blockBytes + " bytes (a header alone is " + HEADER_BYTES
            + ")");
      }
      ByteBuffer h = le(block);
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
      if (MefCrc.of(block, 4, blockBytes) != h.getInt(0)) {
        throw new IllegalArgumentException("checksum mismatch (the block is damaged)");
      }
      if (n < 0 || n > out.length) {
        throw new IllegalArgumentException("it claims " + Integer.toUnsignedString(n) + " samples, more than the"
            + " index's " + out.length);
      }
      if (n == 0) {
        return 0;
      }
      System.arraycopy(block, STATISTICS_OFFSET, counts, 0, 256);
      int level = (flags & LEVEL_1_ENCRYPTED) != 0 ? 1 : (flags & LEVEL_2_ENCRYPTED) != 0 ? 2 : 0;
      if (level > 0) {
        byte[] key = keys.forLevel(level);
        if (key == null) {
          throw new IllegalArgumentException("its data are encrypted at level " + level + " and the password given"
              + " does not open that level");
        }
        MefKeys.decrypt(counts, 0, 256, key);
      }
      int symbols = differenceBytes - 1; // the first key sample's escape is not coded
      if (symbols < 4 || symbols > 5 * n) {
        throw new IllegalArgumentException("it claims " + Integer.toUnsignedString(differenceBytes)
            + " difference bytes for " + n + " samples");
      }
      int total = tables();
      int wanted = Math.min(limit, n);
      int got = decodeSamples(block, HEADER_BYTES, blockBytes, total, symbols, wanted, out);
      if (got < wanted) {
        throw new IllegalArgumentException("its coded differences end after sample " + got + " of " + n);
      }
      if (scale > 1f || slope != 0f || intercept != 0f) {
        retrend(out, wanted, scale, slope, intercept);
      }
      return n;
    }

    private int tables() {
      for (int i = 0; i < 256; i++) {
        cumulative[i + 1] = cumulative[i] + (counts[i] & 0xFF);
        java.util.Arrays.fill(symbolAt, cumulative[i], cumulative[i + 1], (byte) i);
      }
      if (cumulative[256] == 0) {
        throw new IllegalArgumentException("its symbol table is empty");
      }
      return cumulative[256];
    }

    /**
     * Range-decodes the differences and rebuilds the samples in one pass. The coder's registers are
     * unsigned 32-bit (the range reaches 2^31), so they are kept in longs.
     */
    private int decodeSamples(byte[] in, int from, int to, int total, int symbols, int n, int[] out) {
      int p = from;
      int inByte = p < to ? in[p++] & 0xFF : 0;
      long low = inByte >>> (8 - EXTRA_BITS);
      long range = 1 << EXTRA_BITS;
      int value = 0;
      int i = 0;
      int keyBytes = 4; // the first sample is a key sample, its escape implied
      int key = 0;
      for (int k = 0; k < symbols && i < n; k++) {
        while (range <= BOTTOM_VALUE) {
          low = ((low << 8) & 0xFFFFFFFFL) | ((inByte << EXTRA_BITS) & 0xFF);
          inByte = p < to ? in[p++] & 0xFF : 0;
          low |= inByte >>> (8 - EXTRA_BITS);
          range <<= 8;
        }
        long perCount = range / total;
        if (perCount == 0) {
          throw new IllegalArgumentException("its coded differences are inconsistent with its symbol table");
        }
        int s = symbolAt[(int) Math.min(low / perCount, total - 1)] & 0xFF;
        long sub = perCount * cumulative[s];
        low = (low - sub) & 0xFFFFFFFFL;
        range = s < 255 ? perCount * (counts[s] & 0xFF) : range - sub;
        if (keyBytes > 0) {
          key |= s << (8 * (4 - keyBytes));
          if (--keyBytes == 0) {
            value = key;
            out[i++] = value;
          }
        } else if (s == (KEY_SAMPLE & 0xFF)) {
          keyBytes = 4;
          key = 0;
        } else {
          value += (byte) s;
          out[i++] = value;
        }
      }
      return i;
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
