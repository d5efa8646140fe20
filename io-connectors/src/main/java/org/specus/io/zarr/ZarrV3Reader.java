package org.specus.io.zarr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.specus.io.RecentChunks;

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
 * name the offending file.
 *
 * <p>Reads may run concurrently. Each thread keeps the last {@value #RECENT_CHUNKS} blocks it
 * decoded (inner chunks when sharded, else chunks; decoded bytes, e.g. 2.3 MB for Specus's 3000-row
 * int16 inner chunks of 384 channels): a tile read with margins touches the last inner chunk of the
 * shard before its own and the first of the shard after, and the next tile on the same thread finds
 * both still decoded, so each inner chunk is decoded once instead of up to twice (when the margin is
 * at most one inner chunk: 1149 samples against 3000 by default), and a shard whose blocks are all
 * decoded is not opened. Memory: at most {@value #RECENT_CHUNKS} decoded blocks per
 * thread that has read through this reader (a new block is decoded into the array of the oldest),
 * plus a buffer for the encoded bytes of the largest block read, released by
 * {@link #dropRecentChunks()} (the recording's close), when the thread ends, or with the reader. The
 * reads into caller arrays ({@link #readFloats(long, int, float[])}, {@link #readShorts(long, int,
 * short[])}) convert each block's run of rows at once (a bulk copy for float32 and for int16 as
 * stored).
 */
public final class ZarrV3Reader implements TraceRows {
  private static final long EMPTY = -1L; // 2^64 - 1 as an unsigned 64-bit index entry
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  /** Decoded blocks (inner chunks, or chunks when not sharded) each thread keeps. */
  static final int RECENT_CHUNKS = 2;
  /** Marks a block that is not stored (missing chunk or shard, empty index entry): the fill value. */
  private static final byte[] ABSENT = new byte[0];

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
  private final long blockRows; // rows per decoded block: an inner chunk when sharded, else a chunk
  // The codecs after "bytes" are [zstd]? [crc32c]?: blocks decode into reused arrays (decodeBlock).
  private final boolean simpleCodecs;
  private final boolean zstdFirst;
  private final boolean crcLast;
  private final Map<Thread, RecentBlocks> recent = Collections.synchronizedMap(new WeakHashMap<>());
  private final AtomicLong decodedChunks = new AtomicLong();

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
    this.blockRows = sharding == null ? chunkRows : sharding.innerRows;
    List<String> after = codecs.subList(1, codecs.size()).stream().map(c -> c.name).toList();
    this.zstdFirst = !after.isEmpty() && after.get(0).equals("zstd");
    this.crcLast = !after.isEmpty() && after.get(after.size() - 1).equals("crc32c");
    this.simpleCodecs = dataType != null && after.size() == (zstdFirst ? 1 : 0) + (crcLast ? 1 : 0)
        && (after.size() < 2 || zstdFirst && crcLast);
    if (dataType != null && blockRows * rowWidth * dataType.byteSize() > Integer.MAX_VALUE - 8) {
      throw bad(file, "a chunk of " + blockRows + " x " + rowWidth + " " + dataTypeName
          + " is too large for one Java array");
    }
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

  /**
   * Rows {@code [rowStart, rowStart + rowCount)} of a numeric array as float, row-major, into
   * {@code dst}: float32 as stored, int16 and int32 and float64 converted by a Java cast (exact for
   * int16). Missing chunks read as the fill value, converted the same way.
   */
  public void readFloats(long rowStart, int rowCount, float[] dst) throws IOException {
    if (dataType == null) {
      throw new IllegalArgumentException(dir + " holds strings");
    }
    checkRows(rowStart, rowCount);
    checkLength(dst.length, rowCount);
    ZarrDataType t = dataType;
    float fill = switch (t) {
      case FLOAT32 -> ByteBuffer.wrap(fillBytes).order(ByteOrder.LITTLE_ENDIAN).getFloat();
      case FLOAT64 -> (float) ByteBuffer.wrap(fillBytes).order(ByteOrder.LITTLE_ENDIAN).getDouble();
      case INT32 -> ByteBuffer.wrap(fillBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
      case INT16 -> ByteBuffer.wrap(fillBytes).order(ByteOrder.LITTLE_ENDIAN).getShort();
    };
    forEachBlock(rowStart, rowCount, (block, at, n, out) -> {
      if (block == ABSENT) {
        Arrays.fill(dst, out, out + n, fill);
        return;
      }
      switch (t) {
        case FLOAT32 -> ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(at / 4, dst, out, n);
        case INT16 -> {
          for (int i = 0; i < n; i++) {
            dst[out + i] = (short) SHORT.get(block, at + 2 * i);
          }
        }
        case INT32 -> {
          for (int i = 0, b = at; i < n; i++, b += 4) {
            dst[out + i] = (int) INT.get(block, b);
          }
        }
        case FLOAT64 -> {
          for (int i = 0, b = at; i < n; i++, b += 8) {
            dst[out + i] = (float) (double) DOUBLE.get(block, b);
          }
        }
      }
    });
  }

  /** Rows {@code [rowStart, rowStart + rowCount)} of an int16 array as stored, row-major, into {@code dst}. */
  public void readShorts(long rowStart, int rowCount, short[] dst) throws IOException {
    if (dataType != ZarrDataType.INT16) {
      throw new IllegalArgumentException(dir + " has data type " + dataTypeName + ", not int16");
    }
    checkRows(rowStart, rowCount);
    checkLength(dst.length, rowCount);
    short fill = ByteBuffer.wrap(fillBytes).order(ByteOrder.LITTLE_ENDIAN).getShort();
    forEachBlock(rowStart, rowCount, (block, at, n, out) -> {
      if (block == ABSENT) {
        Arrays.fill(dst, out, out + n, fill);
      } else {
        ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(at / 2, dst, out, n);
      }
    });
  }

  /** How many chunks (inner chunks when sharded) this reader has read and decoded (for tests of the reuse). */
  long decodedChunks() {
    return decodedChunks.get();
  }

  /** Frees the decoded chunks every thread keeps (they are decoded again when read again). */
  public void dropRecentChunks() {
    recent.clear();
  }

  private void checkRows(long rowStart, int rowCount) {
    if (rowStart < 0 || rowCount < 0 || rowStart + rowCount > rows) {
      throw new IllegalArgumentException("rows [" + rowStart + ", " + (rowStart + rowCount)
          + ") are outside [0, " + rows + ") of " + dir);
    }
  }

  private void checkLength(int length, int rowCount) {
    if ((long) rowCount * rowWidth > length) {
      throw new IllegalArgumentException("dst has " + length + " values, rows [" + rowCount + " x " + rowWidth
          + "] need " + (long) rowCount * rowWidth);
    }
  }

  /** Decoded little-endian bytes of the requested rows. */
  private ByteBuffer readRows(ZarrDataType wanted, long rowStart, int rowCount) throws IOException {
    if (dataType != wanted) {
      throw new IllegalArgumentException(
          dir + " has data type " + dataTypeName + ", not " + wanted.zarrName());
    }
    checkRows(rowStart, rowCount);
    int es = dataType.byteSize();
    long total = rowCount * rowWidth * es;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "rows [" + rowStart + ", " + (rowStart + rowCount) + ") of " + dir
              + " are too large for one Java array; read fewer rows");
    }
    byte[] out = new byte[(int) total];
    forEachBlock(rowStart, rowCount, (block, at, n, o) -> {
      if (block == ABSENT) {
        fill(out, o * es, (o + n) * es);
      } else {
        System.arraycopy(block, at, out, o * es, n * es);
      }
    });
    return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Receives the decoded rows of one block: {@code n} values (whole rows) from byte {@code at} of
   * {@code block} ({@link #ABSENT}: fill value), for the output from value {@code out} on.
   */
  private interface Run {
    void take(byte[] block, int at, int n, int out);
  }

  /**
   * Hands each block (inner chunk when sharded, else chunk) that holds rows of the range to
   * {@code run}, decoded: from this thread's recent blocks, else read and decoded into the array of
   * the oldest one. A shard file is opened (and its index read) only when one of its blocks is not
   * already decoded, and closed before returning.
   */
  private void forEachBlock(long rowStart, int rowCount, Run run) throws IOException {
    if (rowCount == 0) {
      return;
    }
    RecentBlocks mine = recent.computeIfAbsent(Thread.currentThread(), t -> new RecentBlocks());
    long rowEnd = rowStart + rowCount;
    long rowBytes = rowWidth * dataType.byteSize();
    OpenShard shard = null;
    try {
      for (long b = rowStart / blockRows; b * blockRows < rowEnd; b++) {
        long b0 = b * blockRows;
        long from = Math.max(rowStart, b0);
        long to = Math.min(rowEnd, b0 + blockRows);
        byte[] block = mine.get(b);
        if (block == null) {
          byte[] reuse = mine.takeOldest(); // at most RECENT_CHUNKS are held while the new one is decoded
          if (sharding == null) {
            block = readChunk(b, mine, reuse);
          } else {
            long c = b / sharding.chunksPerShard;
            if (shard == null || shard.chunk != c) {
              if (shard != null) {
                shard.close();
              }
              shard = openShard(c);
            }
            block = readInner(shard, (int) (b - c * sharding.chunksPerShard), mine, reuse);
          }
          mine.put(b, block);
        }
        run.take(block, (int) ((from - b0) * rowBytes), (int) ((to - from) * rowWidth),
            (int) ((from - rowStart) * rowWidth));
      }
    } finally {
      if (shard != null) {
        shard.close();
      }
    }
  }

  /** Unsharded chunk {@code c} decoded, or {@link #ABSENT} when it has no file. */
  private byte[] readChunk(long c, RecentBlocks mine, byte[] reuse) throws IOException {
    Path file = dir.resolve(chunkKey(c));
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return ABSENT; // a missing chunk reads as the fill value
    }
    try (ch) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new IOException(file + " has " + size + " bytes, too many for one chunk");
      }
      byte[] encoded = mine.encoded((int) size);
      readFully(ch, file, 0, encoded, (int) size);
      return decodeBlock(file, encoded, (int) size, reuse);
    }
  }

  /** A shard file opened for reading, with its verified index; {@code ch == null} when it does not exist. */
  private static final class OpenShard implements AutoCloseable {
    final long chunk;
    final Path file;
    final FileChannel ch;
    final ByteBuffer index;
    final long dataStart;
    final long dataEnd;

    OpenShard(long chunk, Path file, FileChannel ch, ByteBuffer index, long dataStart, long dataEnd) {
      this.chunk = chunk;
      this.file = file;
      this.ch = ch;
      this.index = index;
      this.dataStart = dataStart;
      this.dataEnd = dataEnd;
    }

    @Override
    public void close() throws IOException {
      if (ch != null) {
        ch.close();
      }
    }
  }

  private OpenShard openShard(long c) throws IOException {
    Path file = dir.resolve(chunkKey(c));
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return new OpenShard(c, file, null, null, 0, 0); // a missing shard reads as the fill value
    }
    try {
      long size = ch.size();
      int indexBytes = sharding.indexBytes();
      if (size < indexBytes) {
        throw new IOException("shard " + file + " has " + size
            + " bytes, fewer than its index needs (" + indexBytes + ")");
      }
      long indexPos = sharding.indexAtEnd ? size - indexBytes : 0;
      byte[] indexArray = new byte[indexBytes];
      readFully(ch, file, indexPos, indexArray, indexBytes);
      ByteBuffer index = ByteBuffer.wrap(indexArray);
      if (sharding.indexCrc) {
        CRC32C crc = new CRC32C();
        crc.update(indexArray, 0, indexBytes - 4);
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
      return new OpenShard(c, file, ch, index, dataStart, dataEnd);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Inner chunk {@code k} of an open shard decoded, or {@link #ABSENT} (missing shard, empty entry). */
  private byte[] readInner(OpenShard shard, int k, RecentBlocks mine, byte[] reuse) throws IOException {
    if (shard.ch == null) {
      return ABSENT;
    }
    long offset = shard.index.getLong(16 * k);
    long nbytes = shard.index.getLong(16 * k + 8);
    if (offset == EMPTY && nbytes == EMPTY) {
      return ABSENT; // empty inner chunk: fill value
    }
    // Written as offset > dataEnd - nbytes so a huge offset cannot overflow past the check.
    if (offset < shard.dataStart || nbytes < 0 || nbytes > Integer.MAX_VALUE - 8
        || offset > shard.dataEnd - nbytes) {
      throw new IOException("shard " + shard.file + ": inner chunk " + k + " at offset "
          + Long.toUnsignedString(offset) + " with " + Long.toUnsignedString(nbytes)
          + " bytes lies outside the shard's data [" + shard.dataStart + ", " + shard.dataEnd + ")");
    }
    byte[] encoded = mine.encoded((int) nbytes);
    readFully(shard.ch, shard.file, offset, encoded, (int) nbytes);
    return decodeBlock(shard.file, encoded, (int) nbytes, reuse);
  }

  /**
   * Decodes the first {@code length} bytes of {@code encoded} (one block) to little-endian element
   * bytes: into {@code reuse} when it has the block's size and the codecs are {@code bytes}, then an
   * optional {@code zstd}, then an optional {@code crc32c} (what Specus and most writers use), else
   * through {@link #decodeBytes} into a new array. Same checks and messages either way.
   */
  private byte[] decodeBlock(Path file, byte[] encoded, int length, byte[] reuse) throws IOException {
    decodedChunks.incrementAndGet();
    int expected = Math.toIntExact(blockRows * rowWidth * dataType.byteSize());
    if (!simpleCodecs) {
      return decodeBytes(file, Arrays.copyOf(encoded, length), expected);
    }
    int n = length;
    if (crcLast) {
      if (n < 4) {
        throw new IOException(file + ": chunk is too short for its crc32c checksum");
      }
      CRC32C crc = new CRC32C();
      crc.update(encoded, 0, n - 4);
      int stored = (int) INT.get(encoded, n - 4);
      if (stored != (int) crc.getValue()) {
        throw new IOException(String.format("crc32c mismatch in a chunk of %s: stored 0x%08x,"
            + " computed 0x%08x", file, stored, (int) crc.getValue()));
      }
      n -= 4;
    }
    byte[] out = reuse != null && reuse.length == expected ? reuse : new byte[expected];
    if (zstdFirst) {
      long got;
      try {
        got = Zstd.decompressByteArray(out, 0, expected, encoded, 0, n);
      } catch (ZstdException e) {
        throw new IOException(file + ": zstd cannot decode a chunk (" + e.getMessage() + "; expected "
            + expected + " decoded bytes)", e);
      }
      if (Zstd.isError(got)) {
        throw new IOException(file + ": zstd cannot decode a chunk (" + Zstd.getErrorName(got)
            + "; expected " + expected + " decoded bytes)");
      }
      n = (int) got;
    } else if (n == expected) {
      System.arraycopy(encoded, 0, out, 0, n);
    }
    if (n != expected) {
      throw new IOException(file + ": chunk decodes to " + n + " bytes, expected " + expected);
    }
    if (codecs.get(0).bigEndian && dataType.byteSize() > 1) {
      swapBytes(out, dataType.byteSize());
    }
    return out;
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

  /**
   * One thread's last {@link #RECENT_CHUNKS} decoded blocks, most recent first, and the buffer its
   * encoded chunks are read into.
   */
  private static final class RecentBlocks {
    private final RecentChunks blocks = new RecentChunks(RECENT_CHUNKS);
    private byte[] encoded = new byte[0];

    byte[] get(long b) {
      return blocks.get(b);
    }

    /** Forgets the oldest block and returns its array for reuse ({@code null} if none, or not reusable). */
    byte[] takeOldest() {
      byte[] old = blocks.takeOldest();
      return old == ABSENT ? null : old;
    }

    void put(long b, byte[] block) {
      blocks.put(b, block);
    }

    /** A buffer of at least {@code n} bytes for an encoded chunk (grown, never shrunk). */
    byte[] encoded(int n) {
      if (encoded.length < n) {
        encoded = new byte[n];
      }
      return encoded;
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
      long n;
      try {
        n = Zstd.decompress(out, data);
      } catch (ZstdException e) { // zstd-jni throws where it once returned an error code
        throw new IOException(file + ": zstd cannot decode a chunk (" + e.getMessage() + "; expected "
            + expectedSize + " decoded bytes)", e);
      }
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

  /** Reads {@code len} bytes at {@code pos} into the start of {@code dst}. */
  private static void readFully(FileChannel ch, Path file, long pos, byte[] dst, int len)
      throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(dst, 0, len);
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + buf.position());
      if (n < 0) {
        throw new IOException(file + " ended after " + (pos + buf.position())
            + " bytes, expected at least " + (pos + len));
      }
    }
  }

  private static IllegalArgumentException bad(Path file, String message) {
    return new IllegalArgumentException(file + ": " + message);
  }
}
