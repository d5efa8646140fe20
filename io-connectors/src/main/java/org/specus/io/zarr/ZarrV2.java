package org.specus.io.zarr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.specus.io.StableOrder;
import org.specus.io.WriteBuffers;

/**
 * The small part of Zarr v2 that SpikeInterface's released versions ({@code zarr<3}) open: groups
 * ({@code .zgroup}, {@code .zattrs}), C-order arrays ({@code .zarray}) with {@code "."}-separated
 * chunk keys, little-endian numeric types and fixed-width unicode ({@code <U n}) for ids, chunks
 * compressed with zstd (numcodecs {@code Zstd}) or stored raw, and consolidated metadata
 * ({@code .zmetadata}) so that {@code zarr.open_consolidated} works. Every file is written under a
 * temporary name and renamed.
 */
public final class ZarrV2 {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ZarrV2() {}

  /** A numeric element type as Zarr v2 spells it. */
  public static String dtype(ZarrDataType t) {
    return switch (t) {
      case FLOAT32 -> "<f4";
      case FLOAT64 -> "<f8";
      case INT16 -> "<i2";
      case INT32 -> "<i4";
      default -> throw new IllegalArgumentException("no Zarr v2 dtype for " + t);
    };
  }

  /** numcodecs' zstd compressor configuration at {@code level}. */
  public static Map<String, Object> zstd(int level) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", "zstd");
    c.put("level", level);
    return c;
  }

  /**
   * The {@code .zarray} compressor for chunks stored with {@code compression} (resolved, not
   * {@link Compression#AUTO}): numcodecs' zstd at {@code level}, or {@code null} for raw chunks.
   */
  public static Map<String, Object> compressor(Compression compression, int level) {
    return switch (compression) {
      case ZSTD -> zstd(level);
      case NONE -> null;
      case AUTO -> throw new IllegalArgumentException("compression auto must be resolved before it is written");
    };
  }

  public static void writeGroup(Path dir, Map<String, Object> attributes) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve(".zgroup"), json(Map.of("zarr_format", 2)));
    AtomicFiles.write(dir.resolve(".zattrs"), json(attributes));
  }

  /** Writes {@code .zarray} (and {@code .zattrs}) of a C-order array. */
  public static void writeArrayMetadata(Path dir, long[] shape, long[] chunks, String dtype,
      Map<String, Object> compressor, Object fillValue, Map<String, Object> attributes) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zarr_format", 2);
    m.put("shape", shape);
    m.put("chunks", chunks);
    m.put("dtype", dtype);
    m.put("compressor", compressor);
    m.put("fill_value", fillValue);
    m.put("order", "C");
    m.put("filters", null);
    m.put("dimension_separator", ".");
    AtomicFiles.write(dir.resolve(".zarray"), json(m));
    AtomicFiles.write(dir.resolve(".zattrs"), json(attributes));
  }

  /** Writes one chunk's raw little-endian bytes, compressed as {@code compressor} says. */
  public static long writeChunk(Path arrayDir, String key, byte[] raw, Map<String, Object> compressor)
      throws IOException {
    byte[] encoded = compressor == null ? raw : Zstd.compress(raw, ((Number) compressor.get("level")).intValue());
    AtomicFiles.write(arrayDir.resolve(key), encoded);
    return encoded.length;
  }

  /**
   * Writes one chunk from its raw little-endian bytes ({@code raw}'s remaining bytes, a buffer of
   * {@code buffers}), compressed with zstd at {@code level} as numcodecs' {@code Zstd} stores it
   * (one frame, content size in its header); returns the chunk's size.
   * Byte for byte what {@link #writeChunk} writes for the same bytes.
   */
  public static long writeZstdChunk(Path arrayDir, String key, ByteBuffer raw, int level, WriteBuffers buffers)
      throws IOException {
    ByteBuffer packed = buffers.compress(raw, level);
    int n = packed.remaining();
    AtomicFiles.write(arrayDir.resolve(key), packed, buffers);
    return n;
  }

  /**
   * Writes one chunk as its raw little-endian bytes ({@code raw}'s remaining bytes, a buffer of
   * {@code buffers}), for an array whose compressor is {@code null}; returns the chunk's size.
   */
  public static long writeRawChunk(Path arrayDir, String key, ByteBuffer raw, WriteBuffers buffers)
      throws IOException {
    int n = raw.remaining();
    AtomicFiles.write(arrayDir.resolve(key), raw, buffers);
    return n;
  }

  /**
   * The size of raw chunk {@code key} if it is there and holds exactly {@code rawBytes} bytes, as
   * {@link #writeRawChunk} leaves it; otherwise -1. Only the size can be checked (raw bytes carry
   * no structure), which catches a chunk cut short or of another shape; chunks reach their key only
   * by an atomic rename, so a half-written one is never there.
   */
  public static long intactRawChunk(Path arrayDir, String key, int rawBytes) {
    try {
      long size = Files.size(arrayDir.resolve(key));
      return size == rawBytes ? size : -1;
    } catch (IOException e) {
      return -1; // missing or unreadable: written again, and the write reports a real problem
    }
  }

  /**
   * The size of chunk {@code key} if it is there and is one complete zstd frame that decodes to
   * exactly {@code rawBytes} bytes, as {@link #writeZstdChunk} leaves it; otherwise -1. It decodes
   * the whole chunk (the frames carry no checksum: a flipped bit inside a literal would decode to
   * other values unnoticed, but a chunk cut short, padded, emptied or of another shape fails).
   * Chunks only reach their key by an atomic rename, so a half-written one is never there.
   */
  public static long intactZstdChunk(Path arrayDir, String key, int rawBytes, WriteBuffers buffers) {
    Path file = arrayDir.resolve(key);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer packed = buffers.packed(rawBytes);
      if (size <= 0 || size > packed.capacity()) {
        return -1;
      }
      packed.limit((int) size);
      if (!buffers.read(ch, packed, 0)) {
        return -1;
      }
      packed.flip();
      return buffers.decompressesTo(packed, rawBytes) ? size : -1;
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      return -1; // unreadable: written again, and the write reports a real problem
    }
  }

  /** A small array written as one raw chunk. */
  public static void writeDoubleArray(Path dir, double[] values, long[] shape, Map<String, Object> attributes)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    writeArrayMetadata(dir, shape, shape, "<f8", null, 0.0, attributes);
    writeChunk(dir, chunkKey(shape.length), b.array(), null);
  }

  public static void writeIntArray(Path dir, int[] values, long[] shape, Map<String, Object> attributes)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    writeArrayMetadata(dir, shape, shape, "<i4", null, 0, attributes);
    writeChunk(dir, chunkKey(shape.length), b.array(), null);
  }

  /** Strings as NumPy's fixed-width unicode ({@code <U n}, UTF-32LE code points), one raw chunk. */
  public static void writeStringArray(Path dir, List<String> values, Map<String, Object> attributes)
      throws IOException {
    int width = Math.max(1, values.stream().mapToInt(s -> s.codePointCount(0, s.length())).max().orElse(1));
    ByteBuffer b = ByteBuffer.allocate(values.size() * width * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (String s : values) {
      int[] cps = s.codePoints().toArray();
      for (int i = 0; i < width; i++) {
        b.putInt(i < cps.length ? cps[i] : 0);
      }
    }
    long[] shape = {values.size()};
    writeArrayMetadata(dir, shape, shape, "<U" + width, null, "", attributes);
    writeChunk(dir, "0", b.array(), null);
  }

  private static String chunkKey(int rank) {
    return rank == 1 ? "0" : String.join(".", java.util.Collections.nCopies(rank, "0"));
  }

  /**
   * Writes {@code .zmetadata}: every {@code .zgroup}, {@code .zattrs} and {@code .zarray} under
   * {@code root}, so that readers that open consolidated metadata find the whole hierarchy.
   */
  public static void consolidate(Path root) throws IOException {
    Map<String, Object> meta = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.equals(".zgroup") || name.equals(".zattrs") || name.equals(".zarray")) {
          String key = root.relativize(f).toString().replace('\\', '/');
          meta.put(key, JSON.readValue(f.toFile(), Object.class));
        }
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("metadata", meta);
    doc.put("zarr_consolidated_format", 1);
    AtomicFiles.write(root.resolve(".zmetadata"), json(doc));
  }

  static byte[] json(Object value) throws IOException {
    return JSON.writeValueAsString(StableOrder.of(value)).getBytes(StandardCharsets.UTF_8);
  }

  /** Names of the child arrays or groups of a v2 group directory. */
  static List<String> children(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        if (Files.isDirectory(p) && (Files.exists(p.resolve(".zarray")) || Files.exists(p.resolve(".zgroup")))) {
          out.add(p.getFileName().toString());
        }
      }
    }
    return out;
  }
}
