package org.specus.io.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.specus.io.WriteBuffers;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.zarr.Compression;
import org.specus.io.zarr.DurableShards;
import org.specus.io.zarr.ShardCheck;
import org.specus.io.zarr.ShardWriter;
import org.specus.io.zarr.ShardedArrayLayout;
import org.specus.io.zarr.ZarrDataType;
import org.specus.io.zarr.ZarrV3;

/**
 * Writes the primary output, a Zarr v3 group: {@code traces_seg0} {@code [samples, channels]} with
 * one {@code sharding_indexed} shard per tile ({@link ShardWriter}: inner chunks, zstd or raw,
 * crc32c on the index), {@code channel_ids}, {@code properties/gain_to_uV}, {@code properties/location}, the
 * chain's artifacts (e.g. {@code whitening_matrix}), and root attributes
 * {@code sampling_frequency}, {@code num_segments}, {@code annotations} ({@code is_filtered}) and
 * {@code provenance}.
 *
 * <p>Resuming: a shard under its final key whose index is intact ({@link ShardCheck}) is kept.
 * Shards are not fsynced one by one; {@link #commit} forces them all once, then the metadata
 * ({@link DurableShards}).
 */
public final class ZarrV3Writer implements TileWriter {
  static final String TRACES = "traces_seg0";

  private final String root;
  private final ShardedArrayLayout layout;

  /**
   * @param innerChunkSamples samples per inner chunk, at most; lowered to the largest divisor of
   *     {@code tileSamples} that is not larger (the sharding codec needs whole inner chunks)
   * @param compression of the inner chunks; {@link Compression#AUTO} is resolved by the encoding
   * @param zstdLevel used when the inner chunks are compressed
   * @param encoding float32, or int16 rounded half to even and saturated (the chain must already
   *     have scaled the signal to counts)
   */
  public ZarrV3Writer(Path root, long numSamples, int channels, int tileSamples, int innerChunkSamples,
      Compression compression, int zstdLevel, SampleEncoding encoding) {
    this.root = root.toString();
    ZarrDataType type = encoding.zarrDataType();
    this.layout = ShardedArrayLayout.of(numSamples, channels, tileSamples, innerChunkFor(tileSamples, innerChunkSamples),
        type, compression.resolve(type), zstdLevel);
  }

  /** The largest divisor of the tile length that is at most {@code wanted}. */
  static int innerChunkFor(int tileSamples, int wanted) {
    for (int d = Math.min(wanted, tileSamples); d >= 1; d--) {
      if (tileSamples % d == 0) {
        return d;
      }
    }
    return 1;
  }

  @Override
  public Path root() {
    return Path.of(root);
  }

  @Override
  public String format() {
    return OutputFormat.ZARR.label();
  }

  /** The geometry of {@code traces_seg0}. */
  public ShardedArrayLayout layout() {
    return layout;
  }

  private Path traces() {
    return root().resolve(TRACES);
  }

  @Override
  public OptionalLong intact(long index, WriteBuffers buffers) {
    if (!ShardCheck.isIntact(traces(), layout, index)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(traces().resolve(layout.shardKey(index)).toFile().length());
  }

  @Override
  public long write(long index, long firstSample, float[] data, int rows, WriteBuffers buffers) throws IOException {
    if (firstSample != index * layout.shardRows()) {
      throw new IllegalStateException("tile " + index + " starts at " + firstSample + ", not at a shard boundary");
    }
    // No fsync per shard: commit makes every shard durable once, before the completion marker
    // (see DurableShards for why that ordering is enough).
    return ShardWriter.writeSamples(traces(), layout, index, data, rows, false, buffers);
  }

  @Override
  public void commit(RecordingInfo rec, List<Artifact> artifacts, Map<String, Object> provenance) throws IOException {
    Path r = root();
    // Shards were written without fsync: make them durable before anything vouches for them.
    DurableShards.sync(traces(), layout);
    ZarrV3.writeShardedArrayMetadata(traces(), layout, Map.of());
    ZarrV3.writeStringArray(r.resolve("channel_ids"), rec.channelIds(), Map.of());
    ZarrV3.writeGroup(r.resolve("properties"), Map.of());
    ZarrV3.writeDoubleArray(r.resolve("properties/gain_to_uV"), rec.gainToUv(),
        new long[] {rec.numChannels()}, Map.of());
    if (rec.locations() != null) {
      ZarrV3.writeDoubleArray(r.resolve("properties/location"), flatten(rec.locations()),
          new long[] {rec.numChannels(), 2}, Map.of("units", "um"));
    }
    for (Artifact a : artifacts) {
      Path dir = r.resolve(a.name());
      if (a.asFloat32()) {
        ZarrV3.writeFloatArray(dir, toFloat(a.values()), a.shape(), a.attributes());
      } else {
        ZarrV3.writeDoubleArray(dir, a.values(), a.shape(), a.attributes());
      }
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("sampling_frequency", rec.samplingRate());
    attributes.put("num_segments", 1);
    attributes.put("annotations", Map.of("is_filtered", true));
    attributes.put("provenance", provenance);
    ZarrV3.writeGroup(r, attributes);
    DurableShards.syncMetadata(r, traces().resolve("c"));
  }

  private static double[] flatten(double[][] rows) {
    double[] flat = new double[rows.length * 2];
    for (int i = 0; i < rows.length; i++) {
      flat[2 * i] = rows[i][0];
      flat[2 * i + 1] = rows[i][1];
    }
    return flat;
  }

  private static float[] toFloat(double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }
}
