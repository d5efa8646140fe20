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

  /**
   * One block's decoding: its tables, and the range coder's registers between calls, so that two
   * decoders can run side by side ({@link #decodePair}). One pair per reading thread, as blocks are
   * decoded by the thousand.
   */
  static final class Decoder {
    private final byte[] counts = new byte[256];
    private final int[] cumulative = new int[257];
    // The symbol of every cumulative count: one lookup instead of a search per decoded symbol.
    private final byte[] symbolAt = new byte[256 * 255];

    // The block being decoded (set by start) and the coder's state.
    private byte[] in;
    private int end;
    private int[] out;
    private int total;
    private int symbols;
    private int wanted;
    private int n;
    private float slope;
    private float intercept;
    private float scale;
    private int p;
    private int inByte;
    private long low;
    private long range;
    private int value;
    private int decoded; // samples written to out
    private int coded; // symbols consumed
    private int keyBytes;
    private int key;

    /**
     * Decodes the first {@code min(limit, numSamples)} samples of {@code block} into {@code out} as
     * stored counts, and returns the block's {@code numSamples}. The differences are coded in one
     * stream, so a block's head costs less than its tail.
     *
     * @param keys needed only when the block's symbol table is encrypted
     * @throws IllegalArgumentException naming what is wrong when the block is damaged
     */
    int decode(byte[] block, int blockBytes, MefKeys keys, int[] out, int limit) {
      int samples = start(block, blockBytes, keys, out, limit);
      finish();
      return samples;
    }

    /**
     * Checks {@code block}'s header and checksum and readies its tables, for {@link #finish} or
     * {@link #decodePair}; returns the block's {@code numSamples}.
     *
     * @throws IllegalArgumentException naming what is wrong when the block is damaged
     */
    int start(byte[] block, int blockBytes, MefKeys keys, int[] out, int limit) {
      if (blockBytes < HEADER_BYTES || blockBytes > block.length) {
        throw new IllegalArgumentException("a RED block of " + blockBytes + " bytes (a header alone is " + HEADER_BYTES
            + ")");
      }
      ByteBuffer h = le(block);
      int flags = block[4] & 0xFF;
      slope = h.getFloat(16);
      intercept = h.getFloat(20);
      scale = h.getFloat(24);
      int differenceBytes = h.getInt(28);
      n = h.getInt(32);
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
      this.out = out;
      wanted = Math.min(limit, n);
      decoded = 0;
      if (n == 0) {
        return 0;
      }
      System.arraycopy(block, STATISTICS_OFFSET, counts, 0, 256);
      int level = (flags & LEVEL_1_ENCRYPTED) != 0 ? 1 : (flags & LEVEL_2_ENCRYPTED) != 0 ? 2 : 0;
      if (level > 0) {
        byte[] secret = keys.forLevel(level);
        if (secret == null) {
          throw new IllegalArgumentException("its data are encrypted at level " + level + " and the password given"
              + " does not open that level");
        }
        MefKeys.decrypt(counts, 0, 256, secret);
      }
      symbols = differenceBytes - 1; // the first key sample's escape is not coded
      if (symbols < 4 || symbols > 5 * n) {
        throw new IllegalArgumentException("it claims " + Integer.toUnsignedString(differenceBytes)
            + " difference bytes for " + n + " samples");
      }
      total = tables();
      in = block;
      end = blockBytes;
      p = HEADER_BYTES;
      inByte = p < end ? in[p++] & 0xFF : 0;
      low = inByte >>> (8 - EXTRA_BITS);
      range = 1 << EXTRA_BITS;
      value = 0;
      coded = 0;
      keyBytes = 4; // the first sample is a key sample, its escape implied
      key = 0;
      return n;
    }

    /**
     * Decodes what {@link #start} readied and {@link #decodePair} left, then undoes the block's
     * scaling and trend.
     *
     * @throws IllegalArgumentException naming what is wrong when the coded differences are
     */
    void finish() {
      if (wanted == 0) {
        return;
      }
      decodeRest();
      if (decoded < wanted) {
        throw new IllegalArgumentException("its coded differences end after sample " + decoded + " of " + n);
      }
      if (scale > 1f || slope != 0f || intercept != 0f) {
        retrend(out, wanted, scale, slope, intercept);
      }
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
     * unsigned 32-bit (the range reaches 2^31), so they are kept in longs. Kept in locals for the
     * loop, as fields they would be stored at every symbol.
     */
    private void decodeRest() {
      byte[] in = this.in;
      byte[] symbolAt = this.symbolAt;
      int[] cumulative = this.cumulative;
      byte[] counts = this.counts;
      int[] out = this.out;
      int to = end;
      int total = this.total;
      int symbols = this.symbols;
      int n = wanted;
      int p = this.p;
      int inByte = this.inByte;
      long low = this.low;
      long range = this.range;
      int value = this.value;
      int i = decoded;
      int k = coded;
      int keyBytes = this.keyBytes;
      int key = this.key;
      for (; k < symbols && i < n; k++) {
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
      decoded = i;
      coded = k;
    }

    /**
     * Decodes two started blocks in one loop until either ends, leaving the rest to each one's
     * {@link #finish}. Each symbol costs two dependent divisions; two independent coders written out
     * side by side let the CPU overlap their chains (6.7–7.1 ns per symbol per block against
     * 10.6–11.5 for one at a time, bench/README.md). In arrays, the states ran at 7.5–11.4 ns.
     * Never throws: at a step a damaged block could not take, it stops, and that block's
     * {@code finish} meets the same step and says what is wrong.
     */
    static void decodePair(Decoder a, Decoder b) {
      if (a.wanted == 0 || b.wanted == 0) {
        return;
      }
      byte[] inA = a.in;
      byte[] symbolAtA = a.symbolAt;
      int[] cumulativeA = a.cumulative;
      byte[] countsA = a.counts;
      int[] outA = a.out;
      int toA = a.end;
      int totalA = a.total;
      int symbolsA = a.symbols;
      int nA = a.wanted;
      int pA = a.p;
      int inByteA = a.inByte;
      long lowA = a.low;
      long rangeA = a.range;
      int valueA = a.value;
      int iA = a.decoded;
      int kA = a.coded;
      int keyBytesA = a.keyBytes;
      int keyA = a.key;

      byte[] inB = b.in;
      byte[] symbolAtB = b.symbolAt;
      int[] cumulativeB = b.cumulative;
      byte[] countsB = b.counts;
      int[] outB = b.out;
      int toB = b.end;
      int totalB = b.total;
      int symbolsB = b.symbols;
      int nB = b.wanted;
      int pB = b.p;
      int inByteB = b.inByte;
      long lowB = b.low;
      long rangeB = b.range;
      int valueB = b.value;
      int iB = b.decoded;
      int kB = b.coded;
      int keyBytesB = b.keyBytes;
      int keyB = b.key;

      while (kA < symbolsA && iA < nA && kB < symbolsB && iB < nB) {
        while (rangeA <= BOTTOM_VALUE) {
          lowA = ((lowA << 8) & 0xFFFFFFFFL) | ((inByteA << EXTRA_BITS) & 0xFF);
          inByteA = pA < toA ? inA[pA++] & 0xFF : 0;
          lowA |= inByteA >>> (8 - EXTRA_BITS);
          rangeA <<= 8;
        }
        while (rangeB <= BOTTOM_VALUE) {
          lowB = ((lowB << 8) & 0xFFFFFFFFL) | ((inByteB << EXTRA_BITS) & 0xFF);
          inByteB = pB < toB ? inB[pB++] & 0xFF : 0;
          lowB |= inByteB >>> (8 - EXTRA_BITS);
          rangeB <<= 8;
        }
        long perCountA = rangeA / totalA;
        long perCountB = rangeB / totalB;
        if (perCountA == 0 || perCountB == 0) {
          break;
        }
        int sA = symbolAtA[(int) Math.min(lowA / perCountA, totalA - 1)] & 0xFF;
        int sB = symbolAtB[(int) Math.min(lowB / perCountB, totalB - 1)] & 0xFF;
        long subA = perCountA * cumulativeA[sA];
        long subB = perCountB * cumulativeB[sB];
        lowA = (lowA - subA) & 0xFFFFFFFFL;
        lowB = (lowB - subB) & 0xFFFFFFFFL;
        rangeA = sA < 255 ? perCountA * (countsA[sA] & 0xFF) : rangeA - subA;
        rangeB = sB < 255 ? perCountB * (countsB[sB] & 0xFF) : rangeB - subB;
        kA++;
        kB++;
        if (keyBytesA > 0) {
          keyA |= sA << (8 * (4 - keyBytesA));
          if (--keyBytesA == 0) {
            valueA = keyA;
            outA[iA++] = valueA;
          }
        } else if (sA == (KEY_SAMPLE & 0xFF)) {
          keyBytesA = 4;
          keyA = 0;
        } else {
          valueA += (byte) sA;
          outA[iA++] = valueA;
        }
        if (keyBytesB > 0) {
          keyB |= sB << (8 * (4 - keyBytesB));
          if (--keyBytesB == 0) {
            valueB = keyB;
            outB[iB++] = valueB;
          }
        } else if (sB == (KEY_SAMPLE & 0xFF)) {
          keyBytesB = 4;
          keyB = 0;
        } else {
          valueB += (byte) sB;
          outB[iB++] = valueB;
        }
      }
      a.p = pA;
      a.inByte = inByteA;
      a.low = lowA;
      a.range = rangeA;
      a.value = valueA;
      a.decoded = iA;
      a.coded = kA;
      a.keyBytes = keyBytesA;
      a.key = keyA;
      b.p = pB;
      b.inByte = inByteB;
      b.low = lowB;
      b.range = rangeB;
      b.value = valueB;
      b.decoded = iB;
      b.coded = kB;
      b.keyBytes = keyBytesB;
      b.key = keyB;
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
