package org.specus.io.zarr;

import com.github.luben.zstd.Zstd;
import java.io.Serializable;
import java.util.Objects;

/**
 * The geometry of a 2-D sharded Zarr v3 array {@code [rows, cols]} (rows = samples, cols =
 * channels): one shard {@code [shardRows, cols]} per time tile, cut into inner chunks {@code
 * [innerRows, cols]} that readers fetch individually, each compressed with zstd or stored raw
 * ({@link #compression}).
 *
 * <p>Shards and inner chunks always span all columns: a tile is produced for all channels at once,
 * and keeping the channel axis whole makes a shard one contiguous, append-free write. The fill value
 * is always 0, which makes padding of the last, partial inner chunk a plain zero fill.
 *
 * <p>Immutable and {@link Serializable} so it can travel inside Beam {@code DoFn}s. Create with
 * {@link #of}; every constraint is checked there so writers can trust the fields.
 */
public final class ShardedArrayLayout implements Serializable {
  private static final long serialVersionUID = 2L;

  /** zstd level 1: the fastest standard level, ~1.4x on raw traces; higher levels gain little. */
  public static final int DEFAULT_ZSTD_LEVEL = 1;

  private final long rows;
  private final int cols;
  private final int shardRows;
  private final int innerRows;
  private final ZarrDataType dataType;
  private final Compression compression;
  private final int zstdLevel;

  private ShardedArrayLayout(long rows, int cols, int shardRows, int innerRows, ZarrDataType dataType,
      Compression compression, int zstdLevel) {
    this.rows = rows;
    this.cols = cols;
    this.shardRows = shardRows;
    this.innerRows = innerRows;
    this.dataType = dataType;
    this.compression = compression;
    this.zstdLevel = zstdLevel;
  }

  /** A zstd-compressed layout with the default level ({@value #DEFAULT_ZSTD_LEVEL}). */
  public static ShardedArrayLayout of(
      long rows, int cols, int shardRows, int innerRows, ZarrDataType dataType) {
    return of(rows, cols, shardRows, innerRows, dataType, DEFAULT_ZSTD_LEVEL);
  }

  /** A zstd-compressed layout at {@code zstdLevel}; see {@link #of(long, int, int, int, ZarrDataType, Compression, int)}. */
  public static ShardedArrayLayout of(
      long rows, int cols, int shardRows, int innerRows, ZarrDataType dataType, int zstdLevel) {
    return of(rows, cols, shardRows, innerRows, dataType, Compression.ZSTD, zstdLevel);
  }

  /**
   * Validates and creates a layout.
   *
   * @param rows number of samples in the whole array (the time axis), at least 1
   * @param cols number of channels, at least 1
   * @param shardRows samples per shard (one time tile); the last shard may hold fewer valid rows
   * @param innerRows samples per inner chunk; must divide {@code shardRows}, because the sharding
   *     codec requires the shard to be an exact grid of inner chunks
   * @param dataType element type of the array
   * @param compression {@link Compression#ZSTD} or {@link Compression#NONE} (raw inner chunks);
   *     {@link Compression#AUTO} must be resolved first, since the layout is what is written
   * @param zstdLevel zstd compression level of the inner chunks; checked, but unused, without zstd
   * @throws IllegalArgumentException naming the offending value and the rule it breaks
   */
  public static ShardedArrayLayout of(long rows, int cols, int shardRows, int innerRows, ZarrDataType dataType,
      Compression compression, int zstdLevel) {
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(compression, "compression");
    if (compression == Compression.AUTO) {
      throw new IllegalArgumentException("compression auto must be resolved (Compression.resolve) before"
          + " a layout is made: the layout is what is written");
    }
    requirePositive("rows (number of samples)", rows);
    requirePositive("cols (number of channels)", cols);
    requirePositive("shardRows (samples per shard)", shardRows);
    requirePositive("innerRows (samples per inner chunk)", innerRows);
    if (innerRows > shardRows) {
      throw new IllegalArgumentException(
          "innerRows (samples per inner chunk) = " + innerRows
              + " is larger than shardRows (samples per shard) = " + shardRows
              + "; an inner chunk must fit inside a shard");
    }
    if (shardRows % innerRows != 0) {
      throw new IllegalArgumentException(
          "innerRows (samples per inner chunk) = " + innerRows
              + " does not divide shardRows (samples per shard) = " + shardRows
              + "; the sharding codec needs a whole number of inner chunks per shard"
              + " (e.g. innerRows = " + largestDivisorAtMost(shardRows, innerRows) + ")");
    }
    // A shard tile is handed over as one Java array, and an inner chunk is encoded from one byte[].
    long shardElements = (long) shardRows * cols;
    if (shardElements > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a shard of " + shardRows + " x " + cols + " = " + shardElements
              + " elements is too large for one Java array; use fewer samples per shard");
    }
    long innerBytes = (long) innerRows * cols * dataType.byteSize();
    if (innerBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "an inner chunk of " + innerRows + " x " + cols + " " + dataType.zarrName() + " = "
              + innerBytes + " bytes is too large; use fewer samples per inner chunk");
    }
    if (zstdLevel < Zstd.minCompressionLevel() || zstdLevel > Zstd.maxCompressionLevel()) {
      throw new IllegalArgumentException(
          "zstd level " + zstdLevel + " is outside zstd's range ["
              + Zstd.minCompressionLevel() + ", " + Zstd.maxCompressionLevel() + "]");
    }
    return new ShardedArrayLayout(rows, cols, shardRows, innerRows, dataType, compression, zstdLevel);
  }

  /** Deserialization bypasses {@link #of}; re-validate so a tampered stream cannot bypass it. */
  private Object readResolve() {
    return of(rows, cols, shardRows, innerRows, dataType, compression, zstdLevel);
  }

  private static void requirePositive(String what, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }

  private static int largestDivisorAtMost(int n, int limit) {
    for (int d = Math.min(n, limit); d > 1; d--) {
      if (n % d == 0) {
        return d;
      }
    }
    return 1;
  }

  public long rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public int shardRows() {
    return shardRows;
  }

  public int innerRows() {
    return innerRows;
  }

  public ZarrDataType dataType() {
    return dataType;
  }

  /** {@link Compression#ZSTD} or {@link Compression#NONE}, never {@link Compression#AUTO}. */
  public Compression compression() {
    return compression;
  }

  /** Whether inner chunks are zstd frames; if not, each is stored as its {@link #innerChunkBytes} raw bytes. */
  public boolean compressed() {
    return compression == Compression.ZSTD;
  }

  /** The zstd level of the inner chunks; meaningful only when {@link #compressed}. */
  public int zstdLevel() {
    return zstdLevel;
  }

  /** Number of shards along the time axis (the last one may be partial). */
  public long shardCount() {
    return (rows + shardRows - 1) / shardRows;
  }

  /** Inner chunks per shard, i.e. entries in each shard's index. */
  public int innerChunksPerShard() {
    return shardRows / innerRows;
  }

  /** Valid (in-array) rows of a shard: {@code shardRows}, except for the last shard. */
  public int rowsInShard(long shardIndex) {
    if (shardIndex < 0 || shardIndex >= shardCount()) {
      throw new IllegalArgumentException(
          "shard index " + shardIndex + " is outside [0, " + shardCount() + ") for " + this);
    }
    return (int) Math.min(shardRows, rows - shardIndex * shardRows);
  }

  /** Decoded size of one inner chunk in bytes. */
  public int innerChunkBytes() {
    return innerRows * cols * dataType.byteSize();
  }

  /**
   * The shard's store key relative to the array directory, {@code c/<shardIndex>/0}: the default
   * chunk key encoding with separator "/", channel-axis grid coordinate always 0.
   */
  public String shardKey(long shardIndex) {
    return "c/" + shardIndex + "/0";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ShardedArrayLayout)) {
      return false;
    }
    ShardedArrayLayout other = (ShardedArrayLayout) o;
    return rows == other.rows && cols == other.cols && shardRows == other.shardRows
        && innerRows == other.innerRows && dataType == other.dataType
        && compression == other.compression
        && (!compressed() || zstdLevel == other.zstdLevel); // the level writes nothing without zstd
  }

  @Override
  public int hashCode() {
    return Objects.hash(rows, cols, shardRows, innerRows, dataType, compression, compressed() ? zstdLevel : 0);
  }

  @Override
  public String toString() {
    return "ShardedArrayLayout[" + rows + " x " + cols + " " + dataType.zarrName()
        + ", shard " + shardRows + " rows, inner chunk " + innerRows + " rows, "
        + (compressed() ? "zstd " + zstdLevel : "uncompressed") + "]";
  }
}
