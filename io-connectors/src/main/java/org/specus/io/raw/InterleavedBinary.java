package org.specus.io.raw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.specus.io.Recording;
import org.specus.io.RecordingException;

/**
 * Samples of a headerless file: {@code storedChannels} values of one {@link SampleType} per sample,
 * interleaved, little-endian, after {@code offsetBytes} of header. Reads go through a {@link FrameReader} (positional, safe from
 * several threads at once, uncached where possible) in blocks of whole samples, touch only the requested range, and keep the
 * selected columns. Shared by the raw binary and Open Ephys readers.
 */
public final class InterleavedBinary implements AutoCloseable {
  private final Path file;
  private final SampleType type;
  private final int storedChannels;
  private final int[] columns;
  private final long offsetBytes;
  private final long sizeBytes;
  private final long numSamples;
  private final FrameReader reader;

  private InterleavedBinary(Path file, SampleType type, int storedChannels, int[] columns, long offsetBytes,
      long sizeBytes, FrameReader reader) {
    this.file = file;
    this.type = type;
    this.storedChannels = storedChannels;
    this.columns = columns;
    this.offsetBytes = offsetBytes;
    this.sizeBytes = sizeBytes;
    this.numSamples = (sizeBytes - offsetBytes) / ((long) storedChannels * type.bytes());
    this.reader = reader;
  }

  /**
   * Opens {@code file}; its size after the header must be a whole number of samples.
   *
   * @param columns the stored columns to keep, in order
   * @param sizeField how a size problem is named in the message (e.g. "size", or the meta field at fault)
   */
  public static InterleavedBinary open(Path file, SampleType type, int storedChannels, int[] columns, long offsetBytes,
      String sizeField) {
    if (!Files.isRegularFile(file)) {
      throw RecordingException.in(file, "no such file");
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw RecordingException.in(file, "cannot read its size (" + e.getMessage() + ")");
    }
    long frame = (long) storedChannels * type.bytes();
    if (offsetBytes > size) {
      throw RecordingException.in(file, "offset " + offsetBytes + " bytes is beyond the end of the file (" + size
          + " bytes)");
    }
    if ((size - offsetBytes) % frame != 0) {
      throw RecordingException.in(file, sizeField + " " + (size - offsetBytes) + " bytes"
          + (offsetBytes > 0 ? " after the " + offsetBytes + "-byte offset" : "") + " is not a whole number of samples ("
          + storedChannels + " channels x " + type.bytes() + " bytes " + type.label()
          + "): truncated, or wrong channel count or type?");
    }
    for (int c : columns) {
      if (c < 0 || c >= storedChannels) {
        throw new IllegalArgumentException("column " + c + " is outside the " + storedChannels + " stored channels");
      }
    }
    try {
      return new InterleavedBinary(file, type, storedChannels, columns.clone(), offsetBytes, size,
          FrameReader.open(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  /** Every stored column. */
  public static int[] allColumns(int n) {
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = i;
    }
    return c;
  }

  public long numSamples() {
    return numSamples;
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  public SampleType type() {
    return type;
  }

  public Path file() {
    return file;
  }

  public void readFloat(long start, long end, float[] dst) throws IOException {
    int nCh = columns.length;
    int bytes = type.bytes();
    int frame = storedChannels * bytes;
    boolean prefix = isIdentity(columns);
    readBlocks(start, end, dst.length, (block, k, out) -> {
      if (prefix && type == SampleType.FLOAT32 && nCh == storedChannels) {
        block.asFloatBuffer().get(dst, out, k * nCh);
        return;
      }
      if (type == SampleType.INT16) {
        // A bulk copy out of the direct buffer, then plain loops that C2 vectorises: about 3×
        // faster than converting value by value through the buffer.
        short[] w = words(k * storedChannels);
        block.asShortBuffer().get(w, 0, k * storedChannels);
        for (int i = 0; i < k; i++) {
          if (prefix) {
            toFloat(w, i * storedChannels, dst, out + i * nCh, nCh);
          } else {
            for (int c = 0; c < nCh; c++) {
              dst[out + i * nCh + c] = w[i * storedChannels + columns[c]];
            }
          }
        }
        return;
      }
      for (int i = 0; i < k; i++) {
        int base = i * frame;
        int o = out + i * nCh;
        for (int c = 0; c < nCh; c++) {
          dst[o + c] = type.get(block, base + columns[c] * bytes);
        }
      }
    });
  }

  private static final ThreadLocal<short[]> WORDS = ThreadLocal.withInitial(() -> new short[0]);

  private static short[] words(int n) {
    short[] w = WORDS.get();
    if (w.length < n) {
      w = new short[n];
      WORDS.set(w);
    }
    return w;
  }

  private static void toFloat(short[] src, int from, float[] dst, int to, int n) {
    for (int c = 0; c < n; c++) {
      dst[to + c] = src[from + c];
    }
  }

  /** Only for int16 files: the stored counts. */
  public void readInt16(long start, long end, short[] dst) throws IOException {
    if (type != SampleType.INT16) {
      throw new UnsupportedOperationException(file.getFileName() + " holds " + type.label() + "; read it as float");
    }
    int nCh = columns.length;
    int frame = storedChannels * 2;
    boolean prefix = isIdentity(columns);
    readBlocks(start, end, dst.length, (block, k, out) -> {
      ShortBuffer words = block.asShortBuffer();
      if (prefix && nCh == storedChannels) {
        words.get(dst, out, k * nCh);
        return;
      }
      for (int i = 0; i < k; i++) {
        if (prefix) {
          words.position(i * storedChannels);
          words.get(dst, out + i * nCh, nCh);
        } else {
          int base = i * frame;
          int o = out + i * nCh;
          for (int c = 0; c < nCh; c++) {
            dst[o + c] = block.getShort(base + columns[c] * 2);
          }
        }
      }
    });
  }

  private interface BlockSink {
    void accept(ByteBuffer block, int k, int out);
  }

  private void readBlocks(long start, long end, int dstLength, BlockSink sink) throws IOException {
    Recording.checkRange(start, end, numSamples, String.valueOf(file.getFileName()));
    long values = (end - start) * columns.length;
    if (values > dstLength) {
      throw new IllegalArgumentException("dst has " + dstLength + " values, samples [" + start + ", " + end
          + ") of " + columns.length + " channels need " + values);
    }
    int frame = storedChannels * type.bytes();
    int nCh = columns.length;
    reader.read(offsetBytes + start * frame, frame, end - start, (block, k, done) -> sink.accept(block, k, done * nCh));
  }

  /** Whether the kept columns are the first {@code columns.length} stored ones, in order. */
  private static boolean isIdentity(int[] columns) {
    for (int i = 0; i < columns.length; i++) {
      if (columns[i] != i) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
