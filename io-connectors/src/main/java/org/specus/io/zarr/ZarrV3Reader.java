package org.specus.io.zarr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads the Zarr v3 arrays Specus writes, to test the writer and to re-read outputs.
 *
 * <p>Supported, exactly what {@link ZarrV3} and {@link ShardWriter} produce (and equivalent stores
 * from other writers): 1-D or 2-D arrays on a regular chunk grid whose chunks span the whole second
 * axis, default chunk keys, codecs {@code bytes} (either endian) or {@code vlen-utf8} followed by
 * {@code zstd} and/or {@code crc32c}, and the {@code sharding_indexed} codec with such inner codecs
 * and an index encoded {@code bytes} (+ {@code crc32c}, verified) at either end. Missing chunks and
 * empty index entries read as the fill value, as the spec requires.
 *
 * <p>Errors: unsupported or malformed metadata throws {@link IllegalArgumentException}; corrupt or
 * truncated data (crc32c mismatch, bad offsets, undecodable zstd) throws {@link IOException}. Both
 * name the offending file. Immutable after {@link #open}; reads may run concurrently.
 */
public final class ZarrV3Reader {
  private static final long EMPTY = -1L; // 2^64 - 1 as an unsigned 64-bit index entry

  private final Path dir;
  private final long[] shape;
  private final String dataTypeName;
  private final ZarrDataType dataType; // null for "string"
  private final long chunkRows; // rows per (outer) chunk: the shard size when sharded
  private final long rows;
  private final long rowWidth; // elements per row: shape[1], or 1 for 1-D arrays
  private final String separator;
  private final List<Codec> codecs; // of a chunk, or of an inner chunk when sharded
  private final Sharding sharding; // null when not sharded
  private final byte[] fillBytes; // one element of the fill value, little-endian (numeric only)
  private final Map<String, Object> attributes;

  /** One step of a codec pipeline, as far as decoding needs it. */
  private static final class Codec {
    final String name;
    final boolean bigEndian; // for "bytes"

    Codec(String name, boolean bigEndian) {
      this.name = name;
      this.bigEndian = bigEndian;
    }
  }

  /** What the sharding_indexed codec says about a shard's inside. */
  private static final class Sharding {
    final long innerRows;
    final int chunksPerShard;
    final boolean indexAtEnd;
    final boolean indexBigEndian;
    final boolean indexCrc;

    Sharding(long innerRows, int chunksPerShard, boolean indexAtEnd, boolean bigEndian,
        boolean crc) {
      this.innerRows = innerRows;
      this.chunksPerShard = chunksPerShard;
      this.indexAtEnd = indexAtEnd;
      this.indexBigEndian = bigEndian;
      this.indexCrc = crc;
    }

    int indexBytes() {
      return 16 * chunksPerShard + (indexCrc ? 4 : 0);
    }
  }

  private ZarrV3Reader(Path dir, JsonNode meta) {
    this.dir = dir;
    Path file = dir.resolve(ZarrV3.METADATA_FILE);
    if (meta.path("zarr_format").asInt() != 3 || !"array".equals(meta.path("node_type").asText())) {
      throw bad(file, "not a Zarr v3 array (zarr_format 3, node_type \"array\" expected)");
    }
    this.shape = longArray(file, meta.path("shape"), "shape");
    if (shape.length < 1 || shape.length > 2) {
      throw bad(file, "only 1-D and 2-D arrays are supported, shape is " + Arrays.toString(shape));
    }
    this.rows = shape[0];
    this.rowWidth = shape.length == 2 ? shape[1] : 1;
    this.dataTypeName = meta.path("data_type").asText();
    if ("string".equals(dataTypeName)) {
      this.dataType = null;
    } else {
      try {
        this.dataType = ZarrDataType.fromZarrName(dataTypeName);
      } catch (IllegalArgumentException e) {
        throw bad(file, e.getMessage());
      }
    }

    JsonNode grid = meta.path("chunk_grid");
    if (!"regular".equals(grid.path("name").asText())) {
      throw bad(file, "only the \"regular\" chunk grid is supported");
    }
    long[] chunkShape = longArray(file, grid.path("configuration").path("chunk_shape"),
        "chunk_grid.configuration.chunk_shape");
    requireRowBlocks(file, chunkShape, "chunk_shape");
    this.chunkRows = chunkShape[0];

    JsonNode keys = meta.path("chunk_key_encoding");
    if (!"default".equals(keys.path("name").asText())) {
      throw bad(file, "only the \"default\" chunk_key_encoding is supported");
    }
    this.separator = keys.path("configuration").path("separator").asText("/");
    if (!separator.equals("/") && !separator.equals(".")) {
      throw bad(file, "chunk key separator must be \"/\" or \".\", got \"" + separator + "\"");
    }

    JsonNode codecList = meta.path("codecs");
    if (codecList.size() == 1 && "sharding_indexed".equals(codecList.get(0).path("name").asText())) {
      JsonNode cfg = codecList.get(0).path("configuration");
      long[] inner = longArray(file, cfg.path("chunk_shape"), "sharding chunk_shape");
      requireRowBlocks(file, inner, "sharding chunk_shape");
      if (chunkRows % inner[0] != 0) {
        throw bad(file, "sharding chunk_shape " + Arrays.toString(inner)
            + " does not divide the shard shape " + Arrays.toString(chunkShape));
      }
      if (chunkRows / inner[0] > (Integer.MAX_VALUE - 8) / 16) {
        throw bad(file, "too many inner chunks per shard");
      }
      List<Codec> index = parseCodecs(file, cfg.path("index_codecs"));
      boolean indexOk =
          (index.size() == 1 || index.size() == 2)
              && index.get(0).name.equals("bytes")
              && (index.size() == 1 || index.get(1).name.equals("crc32c"));
      if (!indexOk) {
        throw bad(file, "sharding index_codecs must be [bytes] or [bytes, crc32c]");
      }
      String location = cfg.path("index_location").asText("end");
      if (!location.equals("end") && !location.equals("start")) {
        throw bad(file, "index_location must be \"start\" or \"end\", got \"" + location + "\"");
      }
      this.sharding = new Sharding(inner[0], (int) (chunkRows / inner[0]),
          location.equals("end"), index.get(0).bigEndian, index.size() == 2);
      this.codecs = parseCodecs(file, cfg.path("codecs"));
    } else {
      this.sharding = null;
      this.codecs = parseCodecs(file, codecList);
    }
    validateDataCodecs(file);
    this.fillBytes = dataType == null ? null : fillBytes(file, meta.path("fill_value"), dataType);
    this.attributes = toMap(meta.path("attributes"));
  }

  /**
   * Opens the array stored in {@code arrayDir} (reads and validates its {@code zarr.json}).
   *
   * @throws IOException if {@code zarr.json} cannot be read or is not JSON
   * @throws IllegalArgumentException if it describes something this reader does not support
   */
  public static ZarrV3Reader open(Path arrayDir) throws IOException {
    return new ZarrV3Reader(arrayDir, readMetadata(arrayDir));
  }

  /** The attributes of a group or array node, in file order; empty if it has none. */
  public static Map<String, Object> readAttributes(Path nodeDir) throws IOException {
    return toMap(readMetadata(nodeDir).path("attributes"));
  }

  /** The {@code node_type} of a node: "group" or "array". */
  public static String nodeType(Path nodeDir) throws IOException {
    return readMetadata(nodeDir).path("node_type").asText();
  }

  public Path path() {
    return dir;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The {@code data_type} as written, e.g. {@code "float32"} or {@code "string"}. */
  public String dataTypeName() {
    return dataTypeName;
  }

  public boolean isSharded() {
    return sharding != null;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  /** The whole float32 array, row-major. */
  public float[] readFloats() throws IOException {
    return readFloats(0, wholeRows());
  }

  /** Rows {@code [rowStart, rowStart + rowCount)} of a float32 array, row-major. */
  public float[] readFloats(long rowStart, int rowCount) throws IOException {
    ByteBuffer raw = readRows(ZarrDataType.FLOAT32, rowStart, rowCount);
    float[] out = new float[raw.capacity() / 4];
    raw.asFloatBuffer().get(out);
    return out;
  }

  /** The whole float64 array, row-major. */
  public double[] readDoubles() throws IOException {
    return readDoubles(0, wholeRows());
  }

  /** Rows {@code [rowStart, rowStart + rowCount)} of a float64 array, row-major. */
  public double[] readDoubles(long rowStart, int rowCount) throws IOException {
    ByteBuffer raw = readRows(ZarrDataType.FLOAT64, rowStart, rowCount);
    double[] out = new double[raw.capacity() / 8];
    raw.asDoubleBuffer().get(out);
    return out;
  }

  /** The whole int32 array, row-major. */
  public int[] readInts() throws IOException {
    return readInts(0, wholeRows());
  }

  /** Rows {@code [rowStart, rowStart + rowCount)} of an int32 array, row-major. */
  public int[] readInts(long rowStart, int rowCount) throws IOException {
    ByteBuffer raw = readRows(ZarrDataType.INT32, rowStart, rowCount);
    int[] out = new int[raw.capacity() / 4];
    raw.asIntBuffer().get(out);
    return out;
  }

  /** The whole int16 array, row-major. */
  public short[] readShorts() throws IOException {
    return readShorts(0, wholeRows());
  }

  /** Rows {@code [rowStart, rowStart + rowCount)} of an int16 array, row-major. */
  public short[] readShorts(long rowStart, int rowCount) throws IOException {
    ByteBuffer raw = readRows(ZarrDataType.INT16, rowStart, rowCount);
    short[] out = new short[raw.capacity() / 2];
    raw.asShortBuffer().get(out);
    return out;
  }

  /** The whole string array, row-major (unsharded {@code vlen-utf8} arrays). */
  public String[] readStrings() throws IOException {
    if (dataType != null) {
      throw new IllegalArgumentException(
          dir + " has data type " + dataTypeName + ", not string");
    }
    if (sharding != null) {
      throw new IllegalArgumentException(dir + ": sharded string arrays are not supported");
    }
    int total = Math.toIntExact(rows * rowWidth);
    String[] out = new String[total];
    Arrays.fill(out, "");
    for (long c = 0; c * chunkRows < rows; c++) {
      Path file = dir.resolve(chunkKey(c));
      byte[] encoded = readFileOrNull(file);
      if (encoded == null) {
        continue;
      }
      String[] chunk = decodeStrings(file, decodeBytes(file, encoded, -1));
      long chunkElements = chunkRows * rowWidth;
      if (chunk.length != chunkElements) {
        throw new IOException(file + ": vlen-utf8 chunk holds " + chunk.length
            + " strings, expected " + chunkElements);
      }
      long validRows = Math.min(chunkRows, rows - c * chunkRows);
      System.arraycopy(chunk, 0, out, Math.toIntExact(c * chunkRows * rowWidth),
          Math.toIntExact(validRows * rowWidth));
    }
    return out;
  }

  // --------------------------------------------------------------------------- numeric reading

  private int wholeRows() {
    if (rows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(dir + " has " + rows + " rows; read a row range instead");
    }
    return (int) rows;
  }

  /** Decoded little-endian bytes of the requested rows. */
  private ByteBuffer readRows(ZarrDataType wanted, long rowStart, int rowCount) throws IOException {
    if (dataType != wanted) {
      throw new IllegalArgumentException(
          dir + " has data type " + dataTypeName + ", not " + wanted.zarrName());
    }
    if (rowStart < 0 || rowCount < 0 || rowStart + rowCount > rows) {
      throw new IllegalArgumentException("rows [" + rowStart + ", " + (rowStart + rowCount)
          + ") are outside [0, " + rows + ") of " + dir);
    }
    int es = dataType.byteSize();
    long rowBytes = rowWidth * es;
    long total = rowCount * rowBytes;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "rows [" + rowStart + ", " + (rowStart + rowCount) + ") of " + dir
              + " are too large for one Java array; read fewer rows");
    }
    byte[] out = new byte[(int) total];
    fill(out, 0, out.length);
    long rowEnd = rowStart + rowCount;
    for (long c = rowStart / Math.max(1, chunkRows); rowCount > 0 && c * chunkRows < rowEnd; c++) {
      Path file = dir.resolve(chunkKey(c));
      if (sharding == null) {
        byte[] encoded = readFileOrNull(file);
        if (encoded != null) {
          byte[] decoded = decodeBytes(file, encoded, chunkRows * rowBytes);
          copyRows(decoded, c * chunkRows, out, rowStart, rowEnd, rowBytes);
        }
      } else {
        readFromShard(file, c * chunkRows, out, rowStart, rowEnd, rowBytes);
      }
    }
    return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void readFromShard(Path file, long shardFirstRow, byte[] out, long rowStart, long rowEnd,
      long rowBytes) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return; // a missing shard reads as the fill value
    }
    try (ch) {
      long size = ch.size();
      int indexBytes = sharding.indexBytes();
      if (size < indexBytes) {
        throw new IOException("shard " + file + " has " + size
            + " bytes, fewer than its index needs (" + indexBytes + ")");
      }
      long indexPos = sharding.indexAtEnd ? size - indexBytes : 0;
      ByteBuffer index = readFully(ch, file, indexPos, indexBytes);
      if (sharding.indexCrc) {
        CRC32C crc = new CRC32C();
        crc.update(index.array(), 0, indexBytes - 4);
        int stored = index.order(ByteOrder.LITTLE_ENDIAN).getInt(indexBytes - 4);
        if (stored != (int) crc.getValue()) {
          throw new IOException(String.format(
              "crc32c mismatch in the shard index of %s: stored 0x%08x, computed 0x%08x"
                  + " (the shard is corrupt)", file, stored, (int) crc.getValue()));
        }
      }
      index.order(sharding.indexBigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long dataStart = sharding.indexAtEnd ? 0 : indexBytes;
      long dataEnd = sharding.indexAtEnd ? size - indexBytes : size;
      long inner = sharding.innerRows;
      long innerBytes = inner * rowBytes;
      for (int k = 0; k < sharding.chunksPerShard; k++) {
        long first = shardFirstRow + k * inner;
        if (first >= rowEnd || first + inner <= rowStart) {
          continue;
        }
        long offset = index.getLong(16 * k);
        long nbytes = index.getLong(16 * k + 8);
        if (offset == EMPTY && nbytes == EMPTY) {
          continue; // empty inner chunk: fill value
        }
        // Written as offset > dataEnd - nbytes so a huge offset cannot overflow past the check.
        if (offset < dataStart || nbytes < 0 || nbytes > Integer.MAX_VALUE - 8
            || offset > dataEnd - nbytes) {
          throw new IOException("shard " + file + ": inner chunk " + k + " at offset "
              + Long.toUnsignedString(offset) + " with " + Long.toUnsignedString(nbytes)
              + " bytes lies outside the shard's data [" + dataStart + ", " + dataEnd + ")");
        }
        byte[] encoded = readFully(ch, file, offset, (int) nbytes).array();
        byte[] decoded = decodeBytes(file, encoded, innerBytes);
        copyRows(decoded, first, out, rowStart, rowEnd, rowBytes);
      }
    }
  }

  /** Copies the part of a decoded block starting at row {@code blockFirstRow} that is requested. */
  private static void copyRows(byte[] block, long blockFirstRow, byte[] out, long rowStart,
      long rowEnd, long rowBytes) {
    long blockRows = block.length / rowBytes;
    long from = Math.max(rowStart, blockFirstRow);
    long to = Math.min(rowEnd, blockFirstRow + blockRows);
    if (from < to) {
      System.arraycopy(block, (int) ((from - blockFirstRow) * rowBytes), out,
          (int) ((from - rowStart) * rowBytes), (int) ((to - from) * rowBytes));
    }
  }

  private void fill(byte[] out, int from, int to) {
    boolean zero = true;
    for (byte b : fillBytes) {
      zero &= b == 0;
    }
    if (zero) {
      return; // new arrays are already zero
    }
    for (int i = from; i < to; i += fillBytes.length) {
      System.arraycopy(fillBytes, 0, out, i, fillBytes.length);
    }
  }

  // --------------------------------------------------------------------------- codecs

  /**
   * Runs the bytes-to-bytes codecs backwards, then the bytes codec, returning little-endian element
   * bytes (or the vlen-utf8 payload for strings). {@code expectedSize} &lt; 0 means unknown.
   */
  private byte[] decodeBytes(Path file, byte[] data, long expectedSize) throws IOException {
    for (int i = codecs.size() - 1; i >= 1; i--) {
      Codec c = codecs.get(i);
      if (c.name.equals("zstd")) {
        data = unzstd(file, data, i == 1 ? expectedSize : -1);
      } else if (c.name.equals("crc32c")) {
        data = checkCrc(file, data);
      }
    }
    Codec first = codecs.get(0);
    if (first.name.equals("bytes")) {
      if (data.length != expectedSize) {
        throw new IOException(file + ": chunk decodes to " + data.length + " bytes, expected "
            + expectedSize);
      }
      if (first.bigEndian && dataType.byteSize() > 1) {
        swapBytes(data, dataType.byteSize());
      }
    }
    return data;
  }

  private static byte[] unzstd(Path file, byte[] data, long expectedSize) throws IOException {
    if (expectedSize >= 0) {
      byte[] out = new byte[(int) expectedSize];
      long n = Zstd.decompress(out, data);
      if (Zstd.isError(n)) {
        throw new IOException(file + ": zstd cannot decode a chunk (" + Zstd.getErrorName(n)
            + "; expected " + expectedSize + " decoded bytes)");
      }
      return n == expectedSize ? out : Arrays.copyOf(out, (int) n);
    }
    // Unknown size (strings, or zstd followed by more codecs): stream, which needs no size hint.
    try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(data))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IOException(file + ": zstd cannot decode a chunk: " + e.getMessage(), e);
    }
  }

  private static byte[] checkCrc(Path file, byte[] data) throws IOException {
    if (data.length < 4) {
      throw new IOException(file + ": chunk is too short for its crc32c checksum");
    }
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length - 4);
    int stored = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(data.length - 4);
    if (stored != (int) crc.getValue()) {
      throw new IOException(String.format("crc32c mismatch in a chunk of %s: stored 0x%08x,"
          + " computed 0x%08x", file, stored, (int) crc.getValue()));
    }
    return Arrays.copyOf(data, data.length - 4);
  }

  private static void swapBytes(byte[] data, int width) {
    for (int i = 0; i + width <= data.length; i += width) {
      for (int a = i, b = i + width - 1; a < b; a++, b--) {
        byte t = data[a];
        data[a] = data[b];
        data[b] = t;
      }
    }
  }

  private static String[] decodeStrings(Path file, byte[] data) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int n = in.getInt();
      if (n < 0 || n > data.length / 4) {
        throw new IOException(file + ": vlen-utf8 chunk claims " + Integer.toUnsignedString(n)
            + " strings in " + data.length + " bytes");
      }
      String[] out = new String[n];
      for (int i = 0; i < n; i++) {
        int len = in.getInt();
        if (len < 0 || len > in.remaining()) {
          throw new IOException(file + ": vlen-utf8 string " + i + " runs past the chunk end");
        }
        out[i] = new String(data, in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
      }
      return out;
    } catch (java.nio.BufferUnderflowException e) {
      throw new IOException(file + ": vlen-utf8 chunk is truncated", e);
    }
  }

  private static List<Codec> parseCodecs(Path file, JsonNode list) {
    if (!list.isArray() || list.isEmpty()) {
      throw bad(file, "codecs must be a non-empty list");
    }
    List<Codec> out = new ArrayList<>();
    for (JsonNode c : list) {
      String name = c.isTextual() ? c.asText() : c.path("name").asText();
      String endian = c.path("configuration").path("endian").asText("little");
      if (!endian.equals("little") && !endian.equals("big")) {
        throw bad(file, "bytes codec endian must be \"little\" or \"big\", got \"" + endian + "\"");
      }
      out.add(new Codec(name, endian.equals("big")));
    }
    return out;
  }

  private void validateDataCodecs(Path file) {
    String first = codecs.get(0).name;
    String expected = dataType == null ? "vlen-utf8" : "bytes";
    if (!first.equals(expected)) {
      throw bad(file, "a " + dataTypeName + " array's first codec must be \"" + expected
          + "\", got \"" + first + "\" (transpose and other array codecs are not supported)");
    }
    for (Codec c : codecs.subList(1, codecs.size())) {
      if (!c.name.equals("zstd") && !c.name.equals("crc32c")) {
        throw bad(file, "unsupported codec \"" + c.name + "\" (supported after \"" + expected
            + "\": zstd, crc32c)");
      }
    }
  }

  // --------------------------------------------------------------------------- metadata helpers

  private String chunkKey(long rowChunk) {
    return "c" + separator + rowChunk + (shape.length == 2 ? separator + "0" : "");
  }

  private void requireRowBlocks(Path file, long[] chunk, String what) {
    if (chunk.length != shape.length) {
      throw bad(file, what + " " + Arrays.toString(chunk) + " does not match the array's "
          + shape.length + " dimensions");
    }
    for (long d : chunk) {
      if (d <= 0) {
        throw bad(file, what + " " + Arrays.toString(chunk) + " must be positive");
      }
    }
    if (shape.length == 2 && chunk[1] != Math.max(1, shape[1])) {
      throw bad(file, what + " " + Arrays.toString(chunk)
          + " splits the second axis; only chunks spanning all columns are supported");
    }
  }

  private static byte[] fillBytes(Path file, JsonNode v, ZarrDataType type) {
    ByteBuffer b = ByteBuffer.allocate(type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    double d;
    if (v.isNumber()) {
      d = v.asDouble();
    } else if (v.isTextual() && type.isFloatingPoint()) {
      switch (v.asText()) {
        case "NaN": d = Double.NaN; break;
        case "Infinity": d = Double.POSITIVE_INFINITY; break;
        case "-Infinity": d = Double.NEGATIVE_INFINITY; break;
        default:
          throw bad(file, "unsupported fill_value " + v);
      }
    } else {
      throw bad(file, "fill_value " + v + " does not fit data type " + type.zarrName());
    }
    switch (type) {
      case FLOAT32: b.putFloat((float) d); break;
      case FLOAT64: b.putDouble(d); break;
      case INT32: b.putInt(v.asInt()); break;
      case INT16: b.putShort((short) v.asInt()); break;
      default: throw new AssertionError(type);
    }
    return b.array();
  }

  private static long[] longArray(Path file, JsonNode node, String what) {
    if (!node.isArray()) {
      throw bad(file, what + " is missing or not a list");
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
        throw bad(file, what + " must hold non-negative integers, got " + node);
      }
      out[i] = v.asLong();
    }
    return out;
  }

  private static Map<String, Object> toMap(JsonNode attrs) {
    if (attrs == null || attrs.isMissingNode() || attrs.isNull()) {
      return Collections.emptyMap();
    }
    Map<String, Object> map =
        ZarrV3.JSON.convertValue(attrs, new TypeReference<LinkedHashMap<String, Object>>() {});
    return Collections.unmodifiableMap(map);
  }

  private static JsonNode readMetadata(Path nodeDir) throws IOException {
    Path file = nodeDir.resolve(ZarrV3.METADATA_FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException("no Zarr node at " + nodeDir + ": " + file + " does not exist", e);
    }
    try {
      JsonNode node = ZarrV3.JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw bad(file, "metadata is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static byte[] readFileOrNull(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null; // a missing chunk reads as the fill value
    }
  }

  private static ByteBuffer readFully(FileChannel ch, Path file, long pos, int len)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(len);
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + buf.position());
      if (n < 0) {
        throw new IOException(file + " ended after " + (pos + buf.position())
            + " bytes, expected at least " + (pos + len));
      }
    }
    return buf;
  }

  private static IllegalArgumentException bad(Path file, String message) {
    return new IllegalArgumentException(file + ": " + message);
  }
}
