package org.specus.io.nwb;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.specus.io.RecentChunks;

/**
 * Row ranges of a numeric {@code [rows]} or {@code [rows, columns]} HDF5 dataset (an NWB
 * {@code ElectricalSeries.data}), read through jhdf's public API and converted straight into the
 * caller's {@code float[]} or {@code short[]}: no per-row Java arrays, no boxing.
 *
 * <p><b>Chunked datasets.</b> A read touches only the chunks that hold its rows. Each chunk's stored
 * bytes come from {@link ChunkedDataset#getRawChunkBuffer} (a positional read, see
 * {@link NoMapFileChannel}); the filters {@code deflate} and {@code shuffle} (alone or in h5py's
 * order, shuffle then deflate) and no filter at all are decoded here with {@link Inflater} into a
 * reused buffer, any other pipeline jhdf supports through {@link ChunkedDataset#getDecompressedChunk}
 * (jhdf's own decoding, so the values are the same either way). Like jhdf's slice reads, a chunk that
 * was never written reads as zero bytes (not the dataset's fill value; in the HDF5 1.10 file format
 * jhdf's slice reads fail on such a chunk instead), and a chunk's filter mask is not consulted.
 *
 * <p><b>Reuse of decoded chunks.</b> The unit of decoding is a <em>band</em>: all the chunks of one
 * chunk row (the same rows, every column), assembled row-major. Each thread keeps the last
 * {@value #RECENT_BANDS} bands it decoded: a tile read with margins touches the band before and the
 * band after its own, and the next tile on the same thread starts in the band the previous one ended
 * in, so each chunk is decoded once per thread instead of once per tile that touches it (when a
 * margin is shorter than a chunk: 1149 samples by default, against the 10000 of the files the bench
 * converts; with shorter chunks the reuse is partial, never wrong). Memory per
 * thread that has read: {@value #RECENT_BANDS} bands (with the usual chunks that span all channels, a
 * band is one chunk: 7.7 MB for 10000 × 384 int16), plus, only when the file needs them, one chunk of
 * scratch for chunks narrower than the dataset and one for the shuffle filter, plus the compressed
 * bytes of the chunk being read (garbage after the read). Reused buffers are overwritten in place:
 * the evicted band's array becomes the next one. {@link #dropThreadState()} (the recording's close)
 * frees them all; a thread that ends frees its own.
 *
 * <p><b>Contiguous datasets</b> are read with positional reads of at most {@value #BLOCK_BYTES}
 * bytes at a time into one reused buffer per thread.
 *
 * <p><b>Thread safety.</b> Reads may run concurrently without a lock: jhdf 0.13.0 has no shared
 * mutable state on this path (its chunk index and filter pipeline are built once by thread-safe lazy
 * initializers and only read after that; the chunk bytes come from {@code FileChannel.read(dst,
 * position)}, which is thread-safe), and everything mutable here belongs to one thread.
 *
 * <p><b>Values.</b> Exactly those of the slice reads the NWB reader made before (jhdf's
 * {@code getData(offset, shape)}, then a per-type conversion with the offset folded in): see
 * {@link #readFloat}.
 */
final class Hdf5Rows {
  /** Bands (chunk rows) each thread keeps decoded. */
  static final int RECENT_BANDS = 2;
  /** Largest positional read of a contiguous dataset. */
  static final int BLOCK_BYTES = 1 << 20;
  private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  // jhdf 0.13.0's messages for a chunk that was never written: absent from a version 1 B-tree (the
  // HDF5 1.8 format), or listed at HDF5's undefined address (the 1.10 format's chunk indexes; an
  // unfiltered one: the read at that address fails, a filtered one: it returns 0 bytes).
  private static final String NO_CHUNK = "No chunk with offset";
  private static final String UNDEFINED_ADDRESS = "at address -1";

  /** Stored element types: signed and unsigned integers of 1 to 8 bytes, float32, float64. */
  enum Kind {
    I8(1), U8(1), I16(2), U16(2), I32(4), U32(4), I64(8), F32(4), F64(8);

    final int size;

    Kind(int size) {
      this.size = size;
    }
  }

  private enum Decode { NONE, DEFLATE, SHUFFLE, SHUFFLE_DEFLATE, JHDF }

  private final String name;
  private final Kind kind;
  private final ByteOrder order;
  private final long rows;
  private final int cols; // 1 for a 1-D dataset
  private final boolean twoD;
  private final int rowBytes;
  private final double[] shift;
  /** Per column: the stored value itself, not {@code (float) (v + shift)} (int16 and float32 2-D data, shift 0). */
  private final boolean[] direct;
  private final boolean allDirect;
  // Chunked layout (chunked != null)
  private final ChunkedDataset chunked;
  private final int chunkRows;
  private final int chunkCols;
  private final int colChunks;
  private final int chunkBytes;
  private final int bandBytes;
  private final Decode decode;
  private final int shuffleSize;
  // Contiguous layout (chunked == null)
  private final FileChannel channel;
  private final long fileOffset;

  private final Map<Thread, ThreadState> threads = Collections.synchronizedMap(new WeakHashMap<>());
  private final AtomicLong decodedChunks = new AtomicLong();

  private Hdf5Rows(String name, Dataset data, Kind kind, ByteOrder order, double[] shift, ChunkedDataset chunked,
      Decode decode, int shuffleSize, FileChannel channel, long fileOffset) {
    this.name = name;
    this.kind = kind;
    this.order = order;
    long[] dims = data.getDimensionsAsLong();
    this.rows = dims[0];
    this.twoD = dims.length == 2;
    this.cols = twoD ? Math.toIntExact(dims[1]) : 1;
    this.rowBytes = Math.multiplyExact(cols, kind.size);
    this.shift = shift.clone();
    this.direct = new boolean[cols];
    boolean all = true;
    for (int c = 0; c < cols; c++) {
      direct[c] = twoD && (kind == Kind.I16 || kind == Kind.F32) && shift[c] == 0;
      all &= direct[c];
    }
    this.allDirect = all;
    this.chunked = chunked;
    this.decode = decode;
    this.shuffleSize = shuffleSize;
    if (chunked != null) {
      int[] cd = chunked.getChunkDimensions().clone();
      this.chunkRows = cd[0];
      this.chunkCols = twoD ? cd[1] : 1;
      this.colChunks = (cols + chunkCols - 1) / chunkCols;
      this.chunkBytes = Math.multiplyExact(Math.multiplyExact(chunkRows, chunkCols), kind.size);
      this.bandBytes = Math.multiplyExact(chunkRows, rowBytes);
    } else {
      this.chunkRows = 0;
      this.chunkCols = 0;
      this.colChunks = 0;
      this.chunkBytes = 0;
      this.bandBytes = 0;
    }
    this.channel = channel;
    this.fileOffset = fileOffset;
  }

  /**
   * The reader of {@code data}, or {@code null} when its layout or type is not one this class reads
   * (compact datasets, half floats, padded integers, unsigned 64-bit, storage not allocated, chunks
   * over 2 GB): the caller then reads through jhdf's slices.
   *
   * @param name how messages name the dataset, e.g. {@code rec.nwb/acquisition/ElectricalSeries/data}
   * @param channel the channel {@code hdf} reads (for contiguous data)
   * @param shift per column, added to the stored values ({@code shift.length} = columns)
   */
  static Hdf5Rows of(String name, HdfFile hdf, FileChannel channel, Dataset data, double[] shift) {
    long[] dims = data.getDimensionsAsLong();
    if (dims.length < 1 || dims.length > 2) {
      return null;
    }
    Kind kind = kind(data.getDataType(), data.getJavaType());
    if (kind == null) {
      return null;
    }
    ByteOrder order = ((io.jhdf.object.datatype.OrderedDataType) data.getDataType()).getByteOrder();
    try {
      if (data instanceof ChunkedDataset c) {
        int[] cd = c.getChunkDimensions();
        if (cd.length != dims.length || Arrays.stream(cd).anyMatch(v -> v < 1)
            || (long) cd[0] * (dims.length == 2 ? Math.max(cd[1], dims[1]) : 1) * kind.size > Integer.MAX_VALUE - 8) {
          return null;
        }
        List<PipelineFilterWithData> filters = data.getFilters();
        Decode decode = Decode.JHDF;
        int shuffleSize = 0;
        List<Integer> ids = filters.stream().map(PipelineFilterWithData::getId).toList();
        if (ids.isEmpty()) {
          decode = Decode.NONE;
        } else if (ids.equals(List.of(1))) {
          decode = Decode.DEFLATE;
        } else if (ids.equals(List.of(2)) || ids.equals(List.of(2, 1))) {
          int[] p = filters.get(0).getFilterData();
          if (p != null && p.length > 0 && p[0] > 0) {
            shuffleSize = p[0];
            decode = ids.size() == 1 ? Decode.SHUFFLE : Decode.SHUFFLE_DEFLATE;
          }
        }
        return new Hdf5Rows(name, data, kind, order, shift, c, decode, shuffleSize, null, 0);
      }
      if (data instanceof ContiguousDataset c && !c.isEmpty()) {
        long base = hdf.getHdfBackingStorage().getSuperblock().getBaseAddressByte();
        return new Hdf5Rows(name, data, kind, order, shift, null, null, 0, channel, base + c.getDataAddress());
      }
    } catch (HdfException | ArithmeticException e) {
      return null; // e.g. a filter jhdf does not have: the slice read reports it
    }
    return null;
  }

  /** The kind of a plain integer or float type, checked against the Java type jhdf reads it as. */
  private static Kind kind(DataType t, Class<?> javaType) {
    Kind k = null;
    if (t instanceof FixedPoint f && f.getBitOffset() == 0 && f.getBitPrecision() == 8 * f.getSize()) {
      k = switch (f.getSize()) {
        case 1 -> f.isSigned() ? Kind.I8 : Kind.U8;
        case 2 -> f.isSigned() ? Kind.I16 : Kind.U16;
        case 4 -> f.isSigned() ? Kind.I32 : Kind.U32;
        case 8 -> f.isSigned() ? Kind.I64 : null;
        default -> null;
      };
    } else if (t instanceof FloatingPoint f && f.getBitOffset() == 0) {
      k = f.getSize() == 4 && f.getBitPrecision() == 32 ? Kind.F32
          : f.getSize() == 8 && f.getBitPrecision() == 64 ? Kind.F64 : null;
    }
    if (k == null) {
      return null;
    }
    Class<?> expected = switch (k) {
      case I8 -> byte.class;
      case I16 -> short.class;
      case U8, U16, I32 -> int.class;
      case U32, I64 -> long.class;
      case F32 -> float.class;
      case F64 -> double.class;
    };
    return expected == javaType ? k : null;
  }

  Kind kind() {
    return kind;
  }

  /** How chunks are decoded ({@code deflate}, {@code shuffle+deflate}, {@code none}, {@code jhdf}), or {@code contiguous}. */
  String decoding() {
    if (chunked == null) {
      return "contiguous";
    }
    return switch (decode) {
      case NONE -> "none";
      case DEFLATE -> "deflate";
      case SHUFFLE -> "shuffle";
      case SHUFFLE_DEFLATE -> "shuffle+deflate";
      case JHDF -> "jhdf";
    };
  }

  /** How many chunks have been read and decoded so far, over all threads (for tests of the reuse). */
  long decodedChunks() {
    return decodedChunks.get();
  }

  /** Frees the bands and buffers every thread keeps (they are decoded again when read again). */
  void dropThreadState() {
    threads.clear();
  }

  /**
   * Rows {@code [start, end)} into {@code dst}, row-major, as float: the stored value {@code v} plus
   * its column's shift {@code s}, as {@code (float) ((double) v + s)}; for 2-D int16 and float32
   * data, a column whose shift is 0 gets {@code v} itself (which keeps a float32 -0.0). The caller
   * checks the range and {@code dst}'s length.
   */
  void readFloat(long start, long end, float[] dst) throws IOException {
    read(start, end, (src, at, n, out) -> toFloat(src, at, n, dst, out));
  }

  /** Rows {@code [start, end)} of int16 data as stored (only for {@link Kind#I16}). */
  void readShorts(long start, long end, short[] dst) throws IOException {
    if (kind != Kind.I16) {
      throw new IllegalStateException(name + " is not int16");
    }
    read(start, end, (src, at, n, out) -> ByteBuffer.wrap(src).order(order).asShortBuffer().get(at / 2, dst, out, n));
  }

  /** Takes {@code n} values (whole rows) from {@code src} at byte {@code at} to the output at value {@code out}. */
  private interface Run {
    void take(byte[] src, int at, int n, int out);
  }

  private void read(long start, long end, Run run) throws IOException {
    if (end <= start) {
      return;
    }
    ThreadState s = threads.computeIfAbsent(Thread.currentThread(), t -> new ThreadState());
    if (chunked == null) {
      readContiguous(s, start, end, run);
      return;
    }
    for (long b = start / chunkRows; b * chunkRows < end; b++) {
      long b0 = b * chunkRows;
      long from = Math.max(start, b0);
      long to = Math.min(end, b0 + chunkRows);
      byte[] band = band(s, b);
      run.take(band, Math.toIntExact((from - b0) * rowBytes), Math.toIntExact((to - from) * cols),
          Math.toIntExact((from - start) * cols));
    }
  }

  private void readContiguous(ThreadState s, long start, long end, Run run) throws IOException {
    int step = Math.max(1, BLOCK_BYTES / rowBytes);
    if (s.block == null || s.block.length < (long) step * rowBytes) {
      s.block = new byte[Math.multiplyExact(step, rowBytes)];
    }
    for (long r = start; r < end; r += step) {
      int n = (int) Math.min(step, end - r);
      ByteBuffer buf = ByteBuffer.wrap(s.block, 0, n * rowBytes);
      long pos = fileOffset + r * rowBytes;
      while (buf.hasRemaining()) {
        int k = channel.read(buf, pos + buf.position());
        if (k < 0) {
          throw new IOException(name + ": the file ends inside samples " + r + "-" + (r + n) + " (truncated?)");
        }
      }
      run.take(s.block, 0, n * cols, Math.toIntExact((r - start) * cols));
    }
  }

  /** Band {@code b} decoded: from this thread's recent bands, else decoded into the oldest one's array. */
  private byte[] band(ThreadState s, long b) throws IOException {
    byte[] hit = s.bands.get(b);
    if (hit != null) {
      return hit;
    }
    byte[] buf = s.bands.takeOldest();
    if (buf == null || buf.length != bandBytes) {
      buf = new byte[bandBytes];
    }
    if (colChunks == 1 && chunkCols == cols) {
      decodeChunk(s, b, 0, buf);
    } else {
      if (s.chunk == null || s.chunk.length != chunkBytes) {
        s.chunk = new byte[chunkBytes];
      }
      for (int cc = 0; cc < colChunks; cc++) {
        decodeChunk(s, b, cc, s.chunk);
        int c0 = cc * chunkCols;
        int w = Math.min(chunkCols, cols - c0) * kind.size;
        for (int r = 0; r < chunkRows; r++) {
          System.arraycopy(s.chunk, r * chunkCols * kind.size, buf, r * rowBytes + c0 * kind.size, w);
        }
      }
    }
    s.bands.put(b, buf);
    return buf;
  }

  /** Decodes chunk {@code (b, cc)} (all of it, {@link #chunkBytes}) into {@code out}. */
  private void decodeChunk(ThreadState s, long b, int cc, byte[] out) throws IOException {
    int r0 = Math.toIntExact(b * chunkRows);
    int[] offset = twoD ? new int[] {r0, cc * chunkCols} : new int[] {r0};
    String what = twoD ? "the chunk at samples " + r0 + "-" + (r0 + chunkRows) + ", channels " + cc * chunkCols + "-"
        + (cc * chunkCols + chunkCols) : "the chunk at samples " + r0 + "-" + (r0 + chunkRows);
    try {
      if (decode == Decode.JHDF) {
        byte[] d = chunked.getDecompressedChunk(offset);
        decodedChunks.incrementAndGet();
        expectSize(d.length, what);
        System.arraycopy(d, 0, out, 0, chunkBytes);
        return;
      }
      ByteBuffer raw = chunked.getRawChunkBuffer(offset);
      if (!raw.hasRemaining()) {
        // A filtered chunk the 1.10 format lists but never wrote (undefined address, 0 bytes): no stored
        // chunk is empty.
        Arrays.fill(out, 0, chunkBytes, (byte) 0);
        return;
      }
      decodedChunks.incrementAndGet();
      switch (decode) {
        case NONE -> {
          expectSize(raw.remaining(), what);
          raw.get(out, 0, chunkBytes);
        }
        case DEFLATE -> inflate(s, raw, out, what);
        case SHUFFLE -> {
          expectSize(raw.remaining(), what);
          byte[] tmp = s.shuffled(chunkBytes);
          raw.get(tmp, 0, chunkBytes);
          unshuffle(tmp, out, chunkBytes, shuffleSize);
        }
        case SHUFFLE_DEFLATE -> {
          byte[] tmp = s.shuffled(chunkBytes);
          inflate(s, raw, tmp, what);
          unshuffle(tmp, out, chunkBytes, shuffleSize);
        }
        default -> throw new IllegalStateException(decode.toString());
      }
    } catch (HdfException e) {
      String m = String.valueOf(e.getMessage());
      if (m.startsWith(NO_CHUNK) || m.endsWith(UNDEFINED_ADDRESS)) {
        Arrays.fill(out, 0, chunkBytes, (byte) 0); // never written: zero bytes, as jhdf's slice reads give
        return;
      }
      throw new IOException(name + ": cannot read " + what + " (" + m + ")", e);
    }
  }

  private void expectSize(long n, String what) throws IOException {
    if (n != chunkBytes) {
      throw new IOException(name + ": " + what + " holds " + n + " bytes, its shape and type need " + chunkBytes);
    }
  }

  private void inflate(ThreadState s, ByteBuffer raw, byte[] out, String what) throws IOException {
    Inflater inf = s.inflater();
    inf.reset();
    inf.setInput(raw);
    int n = 0;
    try {
      while (n < chunkBytes) {
        int k = inf.inflate(out, n, chunkBytes - n);
        n += k;
        if (k == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) {
          break;
        }
      }
      if (n == chunkBytes && !inf.finished() && inf.inflate(new byte[1]) > 0) {
        throw new IOException(name + ": " + what + " inflates to more than the " + chunkBytes
            + " bytes its shape and type need");
      }
    } catch (DataFormatException e) {
      throw new IOException(name + ": " + what + " is not valid deflate data (" + e.getMessage() + ")", e);
    }
    if (n != chunkBytes || !inf.finished()) {
      throw new IOException(name + ": " + what + " inflates to " + n + " bytes" + (inf.finished() ? "" : " and stops")
          + ", its shape and type need " + chunkBytes + " (truncated?)");
    }
  }

  /** HDF5's shuffle filter backwards: byte {@code j} of element {@code i} is stored at {@code j * count + i}. */
  static void unshuffle(byte[] in, byte[] out, int len, int size) {
    int count = len / size;
    if (size == 1) {
      System.arraycopy(in, 0, out, 0, len);
      return;
    }
    if (size == 2) {
      for (int i = 0; i < count; i++) {
        out[2 * i] = in[i];
        out[2 * i + 1] = in[count + i];
      }
    } else {
      for (int j = 0; j < size; j++) {
        int from = j * count;
        for (int i = 0; i < count; i++) {
          out[i * size + j] = in[from + i];
        }
      }
    }
    int tail = count * size;
    System.arraycopy(in, tail, out, tail, len - tail); // bytes past the last whole element: as they are
  }

  /** Converts {@code n} values (whole rows, starting at column 0) from byte {@code at} of {@code src}. */
  private void toFloat(byte[] src, int at, int n, float[] dst, int out) {
    if (kind == Kind.I16 && allDirect && order == ByteOrder.LITTLE_ENDIAN) {
      for (int i = 0; i < n; i++) {
        dst[out + i] = (short) SHORT_LE.get(src, at + 2 * i);
      }
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(src).order(order);
    if (kind == Kind.F32 && allDirect) {
      b.asFloatBuffer().get(at / 4, dst, out, n);
      return;
    }
    double[] sh = shift;
    boolean[] dir = direct;
    for (int r = 0; r < n; r += cols) {
      for (int c = 0; c < cols; c++) {
        int i = at + (r + c) * kind.size;
        int o = out + r + c;
        dst[o] = switch (kind) {
          case I8 -> (float) (b.get(i) + sh[c]);
          case U8 -> (float) (Byte.toUnsignedInt(b.get(i)) + sh[c]);
          case I16 -> dir[c] ? b.getShort(i) : (float) (b.getShort(i) + sh[c]);
          case U16 -> (float) (Short.toUnsignedInt(b.getShort(i)) + sh[c]);
          case I32 -> (float) (b.getInt(i) + sh[c]);
          case U32 -> (float) (Integer.toUnsignedLong(b.getInt(i)) + sh[c]);
          case I64 -> (float) (b.getLong(i) + sh[c]);
          case F32 -> dir[c] ? b.getFloat(i) : (float) (b.getFloat(i) + sh[c]);
          case F64 -> (float) (b.getDouble(i) + sh[c]);
        };
      }
    }
  }

  /** One thread's recent bands (most recent first) and its decoding buffers. */
  private static final class ThreadState {
    final RecentChunks bands = new RecentChunks(RECENT_BANDS);
    private Inflater inflater;
    byte[] chunk; // one chunk, when chunks are narrower than the dataset
    private byte[] shuffled; // one chunk, inflated but still shuffled
    byte[] block; // contiguous reads

    Inflater inflater() {
      if (inflater == null) {
        inflater = new Inflater();
      }
      return inflater;
    }

    byte[] shuffled(int len) {
      if (shuffled == null || shuffled.length != len) {
        shuffled = new byte[len];
      }
      return shuffled;
    }
  }
}
