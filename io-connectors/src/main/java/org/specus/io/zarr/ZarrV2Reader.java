package org.specus.io.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
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
 */
public final class ZarrV2Reader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> COMPRESSORS = Set.of("none", "blosc", "zstd", "zlib", "gzip");
  private static final Set<String> BLOSC_CODECS = Set.of("blosclz", "lz4", "lz4hc", "zlib", "zstd");

  private final Path dir;
  private final long[] shape;
  private final long chunkRows;
  private final int width;
  private final char kind;
  private final int itemSize;
  private final String compressor;
  private final double fill;
  private final String separator;

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
    if (rowStart < 0 || rowStart + rowCount > shape[0]) {
      throw new IllegalArgumentException("rows [" + rowStart + ", " + (rowStart + rowCount) + ") are outside [0, "
          + shape[0] + ") of " + dir);
    }
    long end = rowStart + rowCount;
    for (long c = rowStart / chunkRows; c * chunkRows < end; c++) {
      long c0 = c * chunkRows;
      long from = Math.max(rowStart, c0);
      long to = Math.min(end, c0 + chunkRows);
      ByteBuffer chunk = chunk(c);
      for (long r = from; r < to; r++) {
        int src = Math.toIntExact((r - c0) * width) * itemSize;
        int out = Math.toIntExact((r - rowStart) * width);
        for (int k = 0; k < width; k++) {
          dst[out + k] = chunk == null ? (float) fill : value(chunk, src + k * itemSize);
        }
      }
    }
  }

  public double[] readDoubles() throws IOException {
    int n = Math.toIntExact(shape[0] * width);
    float[] f = new float[n];
    double[] out = new double[n];
    if (kind == 'f' && itemSize == 8) {
      for (long c = 0; c * chunkRows < shape[0]; c++) {
        ByteBuffer chunk = chunk(c);
        long rows = Math.min(chunkRows, shape[0] - c * chunkRows);
        for (int i = 0; i < rows * width; i++) {
          out[Math.toIntExact(c * chunkRows * width) + i] = chunk == null ? fill : chunk.getDouble(i * 8);
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
      ByteBuffer chunk = chunk(c);
      if (chunk == null) {
        continue;
      }
      long rows = Math.min(chunkRows, shape[0] - c * chunkRows);
      for (int r = 0; r < rows; r++) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < chars; k++) {
          int cp = chunk.getInt((r * chars + k) * 4);
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

  private float value(ByteBuffer b, int at) {
    return switch (kind) {
      case 'f' -> itemSize == 4 ? b.getFloat(at) : (float) b.getDouble(at);
      case 'i' -> itemSize == 2 ? b.getShort(at) : b.getInt(at);
      case 'u' -> Short.toUnsignedInt(b.getShort(at));
      default -> throw new IllegalStateException();
    };
  }

  /** The decoded chunk {@code c} (all its rows, padded ones included), or {@code null} when absent. */
  private ByteBuffer chunk(long c) throws IOException {
    String key = shape.length == 2 ? c + separator + "0" : Long.toString(c);
    Path file = dir.resolve(key);
    byte[] encoded;
    try {
      encoded = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
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
    return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
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
