package org.specus.io.zarr.blosc;

/**
 * Decodes one LZ4 block (the raw block format, no frame), as lz4 and lz4hc write it.
 *
 * <p>A block is a run of sequences. Each starts with a token byte: its high nibble is the literal
 * count, its low nibble the match length minus 4; a nibble of 15 continues in the following bytes,
 * each added, until a byte below 255. Then come the literals, a 2-byte little-endian offset back
 * into the output (1 or more), and the match, which may overlap what it copies. The last sequence
 * has literals only and ends exactly at the end of the input.
 */
public final class Lz4Block {
  private static final int MIN_MATCH = 4;

  private Lz4Block() {}

  /**
   * Decodes {@code src[srcOff, srcOff + srcLen)} into {@code dst} from {@code dstOff}, writing at
   * most {@code dstLen} bytes, and returns how many it wrote.
   */
  public static int decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
      throws BloscFormatException {
    int sp = srcOff;
    int sEnd = srcOff + srcLen;
    int dp = dstOff;
    int dEnd = dstOff + dstLen;
    if (srcLen <= 0) {
      throw new BloscFormatException("lz4: empty block");
    }
    while (true) {
      int token = src[sp++] & 0xFF;
      int literals = token >>> 4;
      if (literals == 15) {
        int b;
        do {
          if (sp >= sEnd) {
            throw new BloscFormatException("lz4: input ends inside a literal length");
          }
          b = src[sp++] & 0xFF;
          literals += b;
        } while (b == 255);
      }
      if (literals > sEnd - sp || literals > dEnd - dp) {
        throw new BloscFormatException("lz4: " + literals + " literals run past the end of the "
            + (literals > sEnd - sp ? "input" : "output"));
      }
      System.arraycopy(src, sp, dst, dp, literals);
      sp += literals;
      dp += literals;
      if (sp == sEnd) {
        return dp - dstOff;
      }
      if (sEnd - sp < 2) {
        throw new BloscFormatException("lz4: input ends inside a match offset");
      }
      int offset = (src[sp] & 0xFF) | (src[sp + 1] & 0xFF) << 8;
      sp += 2;
      if (offset == 0 || offset > dp - dstOff) {
        throw new BloscFormatException("lz4: match offset " + offset + " at output byte " + (dp - dstOff)
            + " reaches outside the block");
      }
      int length = token & 0x0F;
      if (length == 15) {
        int b;
        do {
          if (sp >= sEnd) {
            throw new BloscFormatException("lz4: input ends inside a match length");
          }
          b = src[sp++] & 0xFF;
          length += b;
        } while (b == 255);
      }
      length += MIN_MATCH;
      if (length > dEnd - dp) {
        throw new BloscFormatException("lz4: a match of " + length + " bytes runs past the end of the output");
      }
      dp = Matches.copy(dst, dp, offset, length);
      if (sp >= sEnd) {
        throw new BloscFormatException("lz4: block ends with a match instead of literals");
      }
    }
  }
}
