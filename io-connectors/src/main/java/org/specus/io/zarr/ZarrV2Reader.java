package org.specus.io.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.specus.io.RecentChunks;
import org.specus.io.RecordingException;
import org.specus.io.zarr.blosc.BloscDecoder;
import org.specus.io.zarr.blosc.BloscFormatException;

/**
 * Reads 1-D and 2-D Zarr v2 arrays as SpikeInterface and {@link ZarrV2} write them: C order,
 * little-endian {@code i2 i4 u2 f4 f8} or fixed-width unicode {@code <U n}, chunks spanning whole
 * rows, compressor {@code blosc} (numcodecs' c-blosc 1.x chunks: SpikeInterface's default
 * zstd+bitshuffle and zarr-python 2's default lz4+shuffle; codecs blosclz, lz4, lz4hc, zlib, zstd;
 * see {@link org.specus.io.zarr.blosc}), {@code zstd}, {@code zlib}, {@code gzip} or none. A row
 * range reads only the chunks it touches; missing chunks read as the fill value. A chunk that cannot
 * be decoded is an {@link IOException} whose one-line message starts with the chunk file's path.
 *
 * <p>Safe for concurrent reads. Each thread keeps the last {@value #RECENT_CHUNKS} chunks it
 * decoded (decoded bytes, e.g. 23 MB for a 1 s int16 chunk of 384 channels, 46 MB as float32): a
 * tile read with margins touches the chunk before and after its own, and the next tile on the same
 * thread then finds its own chunk and the one after it still decoded, so each chunk is decoded once
 * instead of up to three times. Memory: at most {@value #RECENT_CHUNKS} decoded chunks per thread
 * that has read through this reader (the oldest is dropped before a new one is decoded), released
 * by {@link #dropRecentChunks()} (the recording's close), when the thread ends, or with the reader.
 * Reads convert a whole run of rows per chunk at once (a bulk copy for {@code f4}, and into
 * {@code short[]} for {@code i2} via {@link #readShorts}).
 */
public final class ZarrV2Reader implements TraceRows {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> COMPRESSORS = Set.of("none", "blosc", "zstd", "zlib", "gzip");
  private static final Set<String> BLOSC_CODECS = Set.of("blosclz", "lz4", "lz4hc", "zlib", "zstd");
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  /** Decoded chunks each thread keeps: its tile's own chunk and the next one. */
  static final int RECENT_CHUNKS = 2;
  /** Marks a chunk that has no file (it reads as the fill value). */
  private static final byte[] ABSENT = new byte[0];

  private final Path dir;
  private final long[] shape;
  private final long chunkRows;
  private final int width;
  private final char kind;
  private final int itemSize;
  private final String compressor;
  private final double fill;
  private final String separator;
  private final Map<Thread, RecentChunks> recent = Collections.synchronizedMap(new WeakHashMap<>());
  private final AtomicLong decoded = new AtomicLong();

  private ZarrV2Reader(Path dir, JsonNode m) {
    this.dir = dir;
    Path file = dir.resolve(".zarray");
    if (m.path("zarr_format").asInt() != 2) {
      throw RecordingException.in(file, "zarr_format is " + m.path("zarr_format") + ", expected 2");
    }
    this.shape = longs(file, m, "shape");
    long[] chunks = longs(file, m, "chunks");
    if (shape.length < 1 || shape.length > 2) {
      throw RecordingException.in(file, "shape " + Arrays.toString(shape) + ": only 1-D and 2-D arrays are read");
    }
    if (chunks.length != shape.length) {
      throw RecordingException.in(file, "chunks " + Arrays.toString(chunks) + " disagrees with shape "
          + Arrays.toString(shape) + " (different number of dimensions)");
    }
    for (long c : chunks) {
      if (c < 1) {
        throw RecordingException.in(file, "chunks " + Arrays.toString(chunks) + " must be positive");
      }
    }
    if (shape.length == 2 && chunks[1] != shape[1]) {
      throw RecordingException.in(file, "chunks " + Arrays.toString(chunks) + " disagrees with shape "
          + Arrays.toString(shape) + ": chunks must span all " + shape[1] + " channels");
    }
    this.chunkRows = chunks[0];
    this.width = shape.length == 2 ? Math.toIntExact(shape[1]) : 1;
    if (!m.path("order").asText("C").equals("C")) {
      throw RecordingException.in(file, "order " + m.path("order").asText() + ": only C order is read");
    }
    if (m.hasNonNull("filters") && !m.get("filters").isEmpty()) {
      throw RecordingException.in(file, "filters " + m.get("filters") + " are not supported");
    }
    String dtype = m.path("dtype").asText("");
    if (dtype.length() < 3 || dtype.charAt(0) == '>') {
      throw RecordingException.in(file, "dtype '" + dtype + "' is not supported (little-endian numbers or <U n)");
    }
    this.kind = dtype.charAt(1);
    int size = Integer.parseInt(dtype.substring(2));
    this.itemSize = kind == 'U' ? size * 4 : size;
    if (!(kind == 'U' || (kind == 'f' && (size == 4 || size == 8)) || (kind == 'i' && (size == 2 || size == 4))
        || (kind == 'u' && size == 2))) {
      throw RecordingException.in(file, "dtype '" + dtype + "' is not supported");
    }
    JsonNode comp = m.path("compressor");
    this.compressor = comp.isNull() || comp.isMissingNode() ? "none" : comp.path("id").asText();
    if (!COMPRESSORS.contains(compressor)) {
      throw RecordingException.in(file, "compressor '" + compressor + "' is not supported (blosc, zstd, zlib, gzip"
          + " or none; re-save from SpikeInterface with compressor=numcodecs.Zstd())");
    }
    if (compressor.equals("blosc") && !BLOSC_CODECS.contains(comp.path("cname").asText())) {
      throw RecordingException.in(file, "compressor blosc with cname '" + comp.path("cname").asText()
          + "' is not supported (blosclz, lz4, lz4hc, zlib, zstd; re-save with numcodecs.Blosc(cname=\"zstd\"))");
    }
    this.fill = m.path("fill_value").isNumber() ? m.path("fill_value").asDouble() : 0;
    this.separator = m.path("dimension_separator").asText(".");
  }

  public static ZarrV2Reader open(Path arrayDir) {
    Path file = arrayDir.resolve(".zarray");
    try {
      return new ZarrV2Reader(arrayDir, JSON.readTree(file.toFile()));
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw RecordingException.in(file, "missing: " + arrayDir.getFileName() + " is not a Zarr v2 array");
    } catch (IOException e) {
      throw RecordingException.in(file, "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  public long[] shape() {
    return shape.clone();
  }

  public long chunkRows() {
    return chunkRows;
  }

  public String dtype() {
    return kind + Integer.toString(kind == 'U' ? itemSize / 4 : itemSize);
  }

  /** Rows {@code [rowStart, rowStart + rowCount)} as float, row-major, into {@code dst}. */
  public void readFloats(long rowStart, int rowCount, float[] dst) throws IOException {
    if (kind == 'U') {
      throw new IllegalArgumentException(dir + " holds strings");
    }
    forEachRun(rowStart, rowCount, (chunk, at, out, n) -> {
      if (chunk == ABSENT) {
        Arrays.fill(dst, out, out + n, (float) fill);
      } else if (kind == 'f' && itemSize == 4) {
        ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(at, dst, out, n);
      } else if (kind == 'f') {
        for (int i = 0, b = at * 8; i < n; i++, b += 8) {
          dst[out + i] = (float) (double) DOUBLE.get(chunk, b);
        }
      } else if (kind == 'i' && itemSize == 2) {
        for (int i = 0, b = at * 2; i < n; i++, b += 2) {
          dst[out + i] = (short) SHORT.get(chunk, b);
        }
      } else if (kind == 'i') {
        for (int i = 0, b = at * 4; i < n; i++, b += 4) {
          dst[out + i] = (int) INT.get(chunk, b);
        }
      } else {
        for (int i = 0, b = at * 2; i < n; i++, b += 2) {
          dst[out + i] = Short.toUnsignedInt((short) SHORT.get(chunk, b));
        }
      }
    });
  }

  /**
   * Rows {@code [rowStart, rowStart + rowCount)} of an {@code i2} array, row-major, into {@code dst}
   * as they are stored.
   */
  public void readShorts(long rowStart, int rowCount, short[] dst) throws IOException {
    if (kind != 'i' || itemSize != 2) {
      throw new IllegalArgumentException(dir + " holds " + dtype() + ", not i2");
    }
    forEachRun(rowStart, rowCount, (chunk, at, out, n) -> {
      if (chunk == ABSENT) {
        Arrays.fill(dst, out, out + n, (short) fill);
      } else {
        ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(at, dst, out, n);
      }
    });
  }

  /**
   * Copies {@code n} values from element {@code at} of a decoded chunk ({@code ABSENT} when none is
   * stored) to element {@code out} of the destination.
   */
  @FunctionalInterface
  private interface RunCopier {
    void copy(byte[] chunk, int at, int out, int n);
  }

  /**
   * The chunks holding rows {@code [rowStart, rowStart + rowCount)}, each with the run of values
   * wanted from it (chunks span whole rows, so those rows are one run) and where it goes.
   */
  private void forEachRun(long rowStart, int rowCount, RunCopier copier) throws IOException {
    checkRows(rowStart, rowCount);
    long end = rowStart + rowCount;
    for (long c = rowStart / chunkRows; c * chunkRows < end; c++) {
      long c0 = c * chunkRows;
      long from = Math.max(rowStart, c0);
      long to = Math.min(end, c0 + chunkRows);
      copier.copy(chunk(c), Math.toIntExact((from - c0) * width), Math.toIntExact((from - rowStart) * width),
          Math.toIntExact((to - from) * width));
    }
  }

  private void checkRows(long rowStart, int rowCount) {
    if (rowStart < 0 || rowCount < 0 || rowStart + rowCount > shape[0]) {
      throw new IllegalArgumentException("rows [" + rowStart + ", " + (rowStart + rowCount) + ") are outside [0, "
          + shape[0] + ") of " + dir);
    }
  }

  /** How many chunk files this reader has read and decoded so far (for tests of the chunk reuse). */
  long decodedChunks() {
    return decoded.get();
  }

  /** Frees the decoded chunks every thread keeps (they are decoded again when read again). */
  public void dropRecentChunks() {
    recent.clear();
  }

  public double[] readDoubles() throws IOException {
    int n = Math.toIntExact(shape[0] * width);
    float[] f = new float[n];
    double[] out = new double[n];
    if (kind == 'f' && itemSize == 8) {
      for (long c = 0; c * chunkRows < shape[0]; c++) {
        byte[] chunk = chunk(c);
        long rows = Math.min(chunkRows, shape[0] - c * chunkRows);
        for (int i = 0; i < rows * width; i++) {
          out[Math.toIntExact(c * chunkRows * width) + i] = chunk == ABSENT ? fill : (double) DOUBLE.get(chunk, i * 8);
        }
      }
      return out;
    }
    readFloats(0, Math.toIntExact(shape[0]), f);
    for (int i = 0; i < n; i++) {
      out[i] = f[i];
    }
    return out;
  }

  public String[] readStrings() throws IOException {
    if (kind != 'U') {
      throw new IllegalArgumentException(dir + " does not hold fixed-width strings");
    }
    String[] out = new String[Math.toIntExact(shape[0])];
    Arrays.fill(out, "");
    int chars = itemSize / 4;
    for (long c = 0; c * chunkRows < shape[0]; c++) {
      byte[] chunk = chunk(c);
      if (chunk == ABSENT) {
        continue;
      }
      long rows = Math.min(chunkRows, shape[0] - c * chunkRows);
      for (int r = 0; r < rows; r++) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < chars; k++) {
          int cp = (int) INT.get(chunk, (r * chars + k) * 4);
          if (cp == 0) {
            break;
          }
          s.appendCodePoint(cp);
        }
        out[Math.toIntExact(c * chunkRows + r)] = s.toString();
      }
    }
    return out;
  }

  /**
   * The decoded chunk {@code c} (all its rows, padded ones included), or {@link #ABSENT}: from this
   * thread's recent chunks, else read, decoded and remembered there.
   */
  private byte[] chunk(long c) throws IOException {
    RecentChunks mine = recent.computeIfAbsent(Thread.currentThread(), t -> new RecentChunks(RECENT_CHUNKS));
    byte[] b = mine.get(c);
    if (b == null) {
      mine.takeOldest(); // dropped, not reused, so that at most RECENT_CHUNKS are held while the new one is decoded
      b = decodeChunk(c);
      mine.put(c, b);
    }
    return b;
  }

  /** Reads and decodes chunk {@code c}; {@link #ABSENT} when it has no file. Never shared with callers. */
  private byte[] decodeChunk(long c) throws IOException {
    String key = shape.length == 2 ? c + separator + "0" : Long.toString(c);
    Path file = dir.resolve(key);
    byte[] encoded;
    try {
      encoded = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return ABSENT;
    }
    decoded.incrementAndGet();
    long expected = chunkRows * width * itemSize;
    byte[] raw;
    try {
      raw = switch (compressor) {
        case "none" -> encoded;
        case "blosc" -> BloscDecoder.decode(encoded, expected);
        case "zstd" -> {
          long size = Zstd.getFrameContentSize(encoded);
          if (size != expected) {
            throw new IOException(file + ": zstd frame declares " + size + " bytes, the chunk holds " + expected
                + " (truncated or wrong chunk shape?)");
          }
          yield Zstd.decompress(encoded, (int) expected);
        }
        case "zlib" -> inflate(encoded, expected);
        case "gzip" -> new GZIPInputStream(new java.io.ByteArrayInputStream(encoded)).readAllBytes();
        default -> throw new IllegalStateException(compressor);
      };
    } catch (com.github.luben.zstd.ZstdException e) {
      throw new IOException(file + ": undecodable zstd chunk (" + e.getMessage() + ")", e);
    } catch (BloscFormatException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new IOException(file + ": undecodable gzip chunk (" + e.getMessage() + ")", e);
    } catch (DataFormatException e) {
      throw new IOException(file + ": undecodable zlib chunk (" + e.getMessage() + ")", e);
    }
    if (raw.length != expected) {
      throw new IOException(file + ": chunk holds " + raw.length + " bytes, chunks x dtype need " + expected
          + " (truncated, or shape/chunks disagree with the data)");
    }
    return raw;
  }

  private static byte[] inflate(byte[] encoded, long expected) throws DataFormatException {
    Inflater inf = new Inflater();
    inf.setInput(encoded);
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(expected, Integer.MAX_VALUE));
    byte[] buf = new byte[65536];
    try {
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        out.write(buf, 0, n);
      }
    } finally {
      inf.end();
    }
    return out.toByteArray();
  }

  private static long[] longs(Path file, JsonNode m, String key) {
    JsonNode a = m.path(key);
    if (!a.isArray()) {
      throw RecordingException.in(file, key + " is missing");
    }
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asLong();
    }
    return out;
  }
}
