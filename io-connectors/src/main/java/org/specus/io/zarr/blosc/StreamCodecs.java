package org.specus.io.zarr.blosc;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses one Blosc stream with the chunk's codec. Holds the zlib and zstd decoder state for
 * the streams of one chunk; close it when the chunk is done.
 */
final class StreamCodecs implements AutoCloseable {
  private final int codec;
  private Inflater inflater;
  private ZstdDecompressCtx zstd;

  /** Refuses codecs Specus does not decode (snappy) and numbers no codec has. */
  StreamCodecs(int codec) throws BloscFormatException {
    if (codec == BloscHeader.SNAPPY) {
      throw new BloscFormatException("Blosc codec snappy is not supported (blosclz, lz4, lz4hc, zlib and zstd"
          + " are); re-save with numcodecs.Blosc(cname=\"zstd\")");
    }
    if (codec > BloscHeader.ZSTD) {
      throw new BloscFormatException("corrupt Blosc header: " + BloscHeader.codecName(codec));
    }
    this.codec = codec;
  }

  /** Decodes {@code src[off, off + len)} into exactly {@code dstLen} bytes of {@code dst} from {@code dstOff}. */
  void decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws BloscFormatException {
    int n = switch (codec) {
      case BloscHeader.BLOSCLZ -> BloscLz.decompress(src, off, len, dst, dstOff, dstLen);
      case BloscHeader.LZ4 -> Lz4Block.decompress(src, off, len, dst, dstOff, dstLen);
      case BloscHeader.ZLIB -> inflate(src, off, len, dst, dstOff, dstLen);
      case BloscHeader.ZSTD -> zstd(src, off, len, dst, dstOff, dstLen);
      default -> throw new IllegalStateException(BloscHeader.codecName(codec));
    };
    if (n != dstLen) {
      throw new BloscFormatException(BloscHeader.codecName(codec) + " stream decodes to " + n
          + " bytes instead of " + dstLen);
    }
  }

  private int inflate(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws BloscFormatException {
    if (inflater == null) {
      inflater = new Inflater();
    } else {
      inflater.reset();
    }
    inflater.setInput(src, off, len);
    try {
      int n = 0;
      while (n < dstLen && !inflater.finished()) {
        int k = inflater.inflate(dst, dstOff + n, dstLen - n);
        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new BloscFormatException("zlib stream is truncated");
        }
        n += k;
      }
      if (!inflater.finished()) {
        throw new BloscFormatException("zlib stream decodes to more than " + dstLen + " bytes");
      }
      return n;
    } catch (DataFormatException e) {
      throw new BloscFormatException("undecodable zlib stream (" + e.getMessage() + ")", e);
    }
  }

  private int zstd(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws BloscFormatException {
    if (zstd == null) {
      zstd = new ZstdDecompressCtx();
    }
    try {
      return zstd.decompressByteArray(dst, dstOff, dstLen, src, off, len);
    } catch (ZstdException e) {
      throw new BloscFormatException("undecodable zstd stream (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public void close() {
    if (inflater != null) {
      inflater.end();
    }
    if (zstd != null) {
      zstd.close();
    }
  }
}
