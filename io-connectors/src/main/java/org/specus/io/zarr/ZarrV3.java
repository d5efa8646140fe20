package org.specus.io.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes Zarr v3 metadata ({@code zarr.json}) and small, single-chunk arrays.
 *
 * <p>Only the part of the spec Specus needs: regular chunk grid, default chunk key encoding with
 * separator "/", codecs {@code bytes} (little-endian) + {@code zstd}, and for the traces the {@code
 * sharding_indexed} codec whose shards {@link ShardWriter} writes (inner chunks with or without
 * zstd, as the layout says). Metadata is pretty-printed with a
 * fixed key order and attribute maps sorted by key, so the same inputs give byte-identical files
 * (diffable outputs, reproducible checksums).
 *
 * <p>Every file is written to a temporary sibling and renamed into place. A single-chunk array
 * writes its chunk before its {@code zarr.json}, so an array that is visible is complete.
 */
public final class ZarrV3 {
  /** The metadata document of every node. */
  public static final String METADATA_FILE = "zarr.json";

  /** Dimension names of the sharded trace arrays. */
  public static final List<String> TRACE_DIMENSION_NAMES = List.of("time", "channel");

  // ORDER_MAP_ENTRIES_BY_KEYS: attribute maps arrive as HashMaps; sorting makes output stable.
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ZarrV3() {}

  /** Writes {@code dir/zarr.json} for a group ({@code zarr_format} 3, {@code node_type} group). */
  public static void writeGroup(Path dir, Map<String, Object> attributes) throws IOException {
    ObjectNode root = NODES.objectNode();
    root.put("zarr_format", 3);
    root.put("node_type", "group");
    root.set("attributes", attributesNode(attributes));
    writeMetadata(dir, root);
  }

  /**
   * Writes {@code arrayDir/zarr.json} for a sharded 2-D array: chunk grid = shard shape {@code
   * [shardRows, cols]}, one {@code sharding_indexed} codec with inner chunks {@code [innerRows,
   * cols]} encoded {@code bytes}(little), then {@code zstd} if the layout is
   * {@link ShardedArrayLayout#compressed}, index {@code bytes}(little) + {@code crc32c} at the end of
   * the shard, dimension names {@code ["time", "channel"]}.
   */
  public static void writeShardedArrayMetadata(
      Path arrayDir, ShardedArrayLayout layout, Map<String, Object> attributes)
      throws IOException {
    Objects.requireNonNull(layout, "layout");
    ObjectNode sharding = NODES.objectNode();
    sharding.set("chunk_shape", longs(layout.innerRows(), layout.cols()));
    ArrayNode inner = NODES.arrayNode().add(bytesCodec());
    if (layout.compressed()) {
      inner.add(zstdCodec(layout.zstdLevel()));
    }
    sharding.set("codecs", inner);
    sharding.set("index_codecs", NODES.arrayNode().add(bytesCodec()).add(crc32cCodec()));
    sharding.put("index_location", "end");

    ObjectNode codec = NODES.objectNode();
    codec.put("name", "sharding_indexed");
    codec.set("configuration", sharding);

    ObjectNode root =
        arrayHeader(
            new long[] {layout.rows(), layout.cols()},
            layout.dataType().zarrName(),
            new long[] {layout.shardRows(), layout.cols()},
            fillValue(layout.dataType()));
    root.set("codecs", NODES.arrayNode().add(codec));
    root.set("attributes", attributesNode(attributes));
    ArrayNode names = NODES.arrayNode();
    for (String n : TRACE_DIMENSION_NAMES) {
      names.add(n);
    }
    root.set("dimension_names", names);
    writeMetadata(arrayDir, root);
  }

  /**
   * Writes a small float64 array (row-major {@code data} of the given {@code shape}) as one chunk
   * encoded bytes(little) + zstd; returns the chunk's size in bytes.
   */
  public static long writeDoubleArray(
      Path dir, double[] data, long[] shape, Map<String, Object> attributes) throws IOException {
    ByteBuffer raw = littleEndian(checkShape(data.length, shape), ZarrDataType.FLOAT64);
    raw.asDoubleBuffer().put(data);
    return writeSingleChunkArray(dir, ZarrDataType.FLOAT64, raw.array(), shape, attributes);
  }

  /** Same as {@link #writeDoubleArray}. */
  public static long writeArray(Path dir, double[] data, long[] shape, Map<String, Object> attributes)
      throws IOException {
    return writeDoubleArray(dir, data, shape, attributes);
  }

  /**
   * Writes a small float32 array (row-major {@code data} of the given {@code shape}) as one chunk
   * encoded bytes(little) + zstd; returns the chunk's size in bytes.
   */
  public static long writeFloatArray(
      Path dir, float[] data, long[] shape, Map<String, Object> attributes) throws IOException {
    ByteBuffer raw = littleEndian(checkShape(data.length, shape), ZarrDataType.FLOAT32);
    raw.asFloatBuffer().put(data);
    return writeSingleChunkArray(dir, ZarrDataType.FLOAT32, raw.array(), shape, attributes);
  }

  /** Same as {@link #writeFloatArray}. */
  public static long writeArray(Path dir, float[] data, long[] shape, Map<String, Object> attributes)
      throws IOException {
    return writeFloatArray(dir, data, shape, attributes);
  }

  /**
   * Writes a small int32 array (row-major {@code data} of the given {@code shape}) as one chunk
   * encoded bytes(little) + zstd; returns the chunk's size in bytes.
   */
  public static long writeIntArray(
      Path dir, int[] data, long[] shape, Map<String, Object> attributes) throws IOException {
    ByteBuffer raw = littleEndian(checkShape(data.length, shape), ZarrDataType.INT32);
    raw.asIntBuffer().put(data);
    return writeSingleChunkArray(dir, ZarrDataType.INT32, raw.array(), shape, attributes);
  }

  /** Same as {@link #writeIntArray}. */
  public static long writeArray(Path dir, int[] data, long[] shape, Map<String, Object> attributes)
      throws IOException {
    return writeIntArray(dir, data, shape, attributes);
  }

  /**
   * Writes a small int16 array (row-major {@code data} of the given {@code shape}) as one chunk
   * encoded bytes(little) + zstd; returns the chunk's size in bytes.
   */
  public static long writeShortArray(
      Path dir, short[] data, long[] shape, Map<String, Object> attributes) throws IOException {
    ByteBuffer raw = littleEndian(checkShape(data.length, shape), ZarrDataType.INT16);
    raw.asShortBuffer().put(data);
    return writeSingleChunkArray(dir, ZarrDataType.INT16, raw.array(), shape, attributes);
  }

  /** Same as {@link #writeShortArray}. */
  public static long writeArray(Path dir, short[] data, long[] shape, Map<String, Object> attributes)
      throws IOException {
    return writeShortArray(dir, data, shape, attributes);
  }

  /**
   * Writes a 1-D array of strings (e.g. {@code channel_ids}) as one chunk; returns the chunk's size.
   *
   * <p>Stored as data type {@code "string"} with the {@code vlen-utf8} codec (then zstd), fill value
   * {@code ""}: the representation zarr-python 3 uses for variable-length strings, and one zarrita
   * 0.7 decodes (checked by {@code ZarritaInteropTest}). Fixed-width alternatives ({@code
   * fixed_length_utf32}) are not in zarrita and would truncate long ids.
   */
  public static long writeStringArray(Path dir, String[] data, Map<String, Object> attributes)
      throws IOException {
    long[] shape = {data.length};
    // vlen-utf8 layout: uint32 LE item count, then per item uint32 LE byte length + UTF-8 bytes.
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    ByteBuffer u32 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    raw.write(u32.putInt(0, data.length).array(), 0, 4);
    for (int i = 0; i < data.length; i++) {
      if (data[i] == null) {
        throw new IllegalArgumentException(
            "string array " + dir + " has a null at index " + i + "; Zarr strings cannot be null");
      }
      byte[] utf8 = data[i].getBytes(StandardCharsets.UTF_8);
      raw.write(u32.putInt(0, utf8.length).array(), 0, 4);
      raw.write(utf8, 0, utf8.length);
    }
    ObjectNode root = arrayHeader(shape, "string", chunkShapeFor(shape), NODES.textNode(""));
    ObjectNode vlen = NODES.objectNode();
    vlen.put("name", "vlen-utf8");
    vlen.set("configuration", NODES.objectNode());
    root.set(
        "codecs",
        NODES.arrayNode().add(vlen).add(zstdCodec(ShardedArrayLayout.DEFAULT_ZSTD_LEVEL)));
    root.set("attributes", attributesNode(attributes));
    return writeChunkThenMetadata(dir, shape, raw.toByteArray(), root);
  }

  /** Same as {@link #writeStringArray(Path, String[], Map)}, for ids held in a list. */
  public static long writeStringArray(Path dir, List<String> data, Map<String, Object> attributes)
      throws IOException {
    return writeStringArray(dir, data.toArray(new String[0]), attributes);
  }

  // ---------------------------------------------------------------------------------------------

  private static long writeSingleChunkArray(
      Path dir, ZarrDataType type, byte[] raw, long[] shape, Map<String, Object> attributes)
      throws IOException {
    ObjectNode root = arrayHeader(shape, type.zarrName(), chunkShapeFor(shape), fillValue(type));
    root.set(
        "codecs",
        NODES
            .arrayNode()
            .add(bytesCodec())
            .add(zstdCodec(ShardedArrayLayout.DEFAULT_ZSTD_LEVEL)));
    root.set("attributes", attributesNode(attributes));
    return writeChunkThenMetadata(dir, shape, raw, root);
  }

  private static long writeChunkThenMetadata(Path dir, long[] shape, byte[] raw, ObjectNode root)
      throws IOException {
    long written = 0;
    if (elementCount(shape) > 0) {
      byte[] packed = Zstd.compress(raw, ShardedArrayLayout.DEFAULT_ZSTD_LEVEL);
      AtomicFiles.write(dir.resolve(singleChunkKey(shape.length)), packed);
      written = packed.length;
    }
    // An empty array has no chunk: readers return the fill value for missing chunks.
    writeMetadata(dir, root);
    return written;
  }

  /** {@code c/0/0...}: the only chunk of a single-chunk array with {@code ndim} dimensions. */
  static String singleChunkKey(int ndim) {
    return "c" + "/0".repeat(ndim);
  }

  /** A chunk equal to the whole array; chunk sizes must be positive, so empty axes get 1. */
  private static long[] chunkShapeFor(long[] shape) {
    long[] chunk = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      chunk[i] = Math.max(1, shape[i]);
    }
    return chunk;
  }

  private static int checkShape(int length, long[] shape) {
    if (shape == null || shape.length == 0) {
      throw new IllegalArgumentException("shape must have at least one dimension");
    }
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape)
            + " has a negative dimension");
      }
    }
    if (elementCount(shape) != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + elementCount(shape)
              + " elements but " + length + " values were given");
    }
    return length;
  }

  private static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  private static ByteBuffer littleEndian(int elements, ZarrDataType type) {
    return ByteBuffer.allocate(Math.multiplyExact(elements, type.byteSize()))
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The fields every array document starts with, in the order the spec lists them. */
  private static ObjectNode arrayHeader(
      long[] shape, String dataType, long[] chunkShape, JsonNode fillValue) {
    ObjectNode root = NODES.objectNode();
    root.put("zarr_format", 3);
    root.put("node_type", "array");
    root.set("shape", longs(shape));
    root.put("data_type", dataType);
    ObjectNode grid = NODES.objectNode();
    grid.put("name", "regular");
    grid.set("configuration", NODES.objectNode().set("chunk_shape", longs(chunkShape)));
    root.set("chunk_grid", grid);
    ObjectNode keys = NODES.objectNode();
    keys.put("name", "default");
    keys.set("configuration", NODES.objectNode().put("separator", "/"));
    root.set("chunk_key_encoding", keys);
    root.set("fill_value", fillValue);
    return root;
  }

  private static JsonNode fillValue(ZarrDataType type) {
    return type.isFloatingPoint() ? NODES.numberNode(0.0) : NODES.numberNode(0);
  }

  static ObjectNode bytesCodec() {
    ObjectNode c = NODES.objectNode();
    c.put("name", "bytes");
    c.set("configuration", NODES.objectNode().put("endian", "little"));
    return c;
  }

  static ObjectNode zstdCodec(int level) {
    ObjectNode c = NODES.objectNode();
    c.put("name", "zstd");
    c.set("configuration", NODES.objectNode().put("level", level).put("checksum", false));
    return c;
  }

  static ObjectNode crc32cCodec() {
    return NODES.objectNode().put("name", "crc32c");
  }

  private static ArrayNode longs(long... values) {
    ArrayNode a = NODES.arrayNode();
    for (long v : values) {
      a.add(v);
    }
    return a;
  }

  private static JsonNode attributesNode(Map<String, Object> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return NODES.objectNode();
    }
    // valueToTree applies ORDER_MAP_ENTRIES_BY_KEYS, also to nested maps.
    return JSON.valueToTree(attributes);
  }

  private static void writeMetadata(Path dir, ObjectNode root) throws IOException {
    byte[] json = JSON.writeValueAsBytes(root);
    byte[] withNewline = Arrays.copyOf(json, json.length + 1);
    withNewline[json.length] = '\n';
    AtomicFiles.write(dir.resolve(METADATA_FILE), withNewline);
  }
}
