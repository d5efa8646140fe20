package org.specus.io.zarr.blosc;

/**
 * Decodes blosclz, c-blosc's own FastLZ-style LZ77 codec.
 *
 * <p>The input is a run of instructions, each starting with a control byte {@code c}:
 *
 * <ul>
 *   <li>{@code c < 32}: {@code c + 1} literal bytes follow.
 *   <li>{@code c >= 32}: a match. {@code len = (c >> 5) - 1}; when that is 6, bytes follow that are
 *       added to it until one is below 255. One more byte {@code d} follows, and the match copies
 *       {@code len + 3} bytes from {@code ((c & 31) << 8) + d + 1} bytes back. When {@code d} is
 *       255 and {@code c & 31} is 31, two more bytes hold a big-endian {@code far} and the match
 *       starts {@code far + 8192} bytes back. A match may overlap its own output.
 * </ul>
 *
 * The top 3 bits of the first byte are a marker; the first instruction is always literals. The
 * input ends after an instruction, at its last byte.
 */
public final class BloscLz {
  private static final int MIN_MATCH = 3;
  private static final int MAX_DISTANCE = 8191;

  private BloscLz() {}

  /**
   * Decodes {@code src[srcOff, srcOff + srcLen)} into {@code dst} from {@code dstOff}, writing at
   * most {@code dstLen} bytes, and returns how many it wrote.
   */
  public static int decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen)
      throws BloscFormatException {
    if (srcLen <= 0) {
      throw new BloscFormatException("blosclz: empty stream");
    }
    int sp = srcOff;
    int sEnd = srcOff + srcLen;
    int dp = dstOff;
    int dEnd = dstOff + dstLen;
    int ctrl = src[sp++] & 31;
    while (true) {
      if (ctrl >= 32) {
        int length = (ctrl >>> 5) - 1;
        int high = (ctrl & 31) << 8;
        int code;
        if (length == 7 - 1) {
          do {
            if (sp >= sEnd) {
              throw new BloscFormatException("blosclz: input ends inside a match length");
            }
            code = src[sp++] & 0xFF;
            length += code;
          } while (code == 255);
        }
        if (sp >= sEnd) {
          throw new BloscFormatException("blosclz: input ends inside a match distance");
        }
        code = src[sp++] & 0xFF;
        int distance = high + code + 1;
        if (code == 255 && high == 31 << 8) {
          if (sEnd - sp < 2) {
            throw new BloscFormatException("blosclz: input ends inside a far match distance");
          }
          distance = ((src[sp] & 0xFF) << 8 | (src[sp + 1] & 0xFF)) + MAX_DISTANCE + 1;
          sp += 2;
        }
        length += MIN_MATCH;
        if (distance > dp - dstOff) {
          throw new BloscFormatException("blosclz: match distance " + distance + " at output byte "
              + (dp - dstOff) + " reaches outside the block");
        }
        if (length > dEnd - dp) {
          throw new BloscFormatException("blosclz: a match of " + length + " bytes runs past the end of the output");
        }
        dp = Matches.copy(dst, dp, distance, length);
      } else {
        int literals = ctrl + 1;
        if (literals > sEnd - sp || literals > dEnd - dp) {
          throw new BloscFormatException("blosclz: " + literals + " literals run past the end of the "
              + (literals > sEnd - sp ? "input" : "output"));
        }
        System.arraycopy(src, sp, dst, dp, literals);
        sp += literals;
        dp += literals;
      }
      if (sp >= sEnd) {
        return dp - dstOff;
      }
      ctrl = src[sp++] & 0xFF;
    }
  }
}
