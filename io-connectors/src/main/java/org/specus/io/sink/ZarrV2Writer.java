package org.specus.io.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.specus.io.WriteBuffers;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.zarr.Compression;
import org.specus.io.zarr.DurableShards;
import org.specus.io.zarr.ZarrV2;

/**
 * Writes the Zarr v2 layout that released SpikeInterface ({@code zarr<3}) opens with
 * {@code si.load}/{@code read_zarr}: {@code traces_seg0} {@code [samples, channels]} chunked one tile
 * per chunk ({@code i.0}, zstd or raw), {@code channel_ids}, {@code properties/gain_to_uV},
 * {@code offset_to_uV}, {@code location}, the chain's artifacts (e.g. {@code whitening_matrix}), and
 * root attributes {@code sampling_frequency}, {@code num_segments}, {@code annotations}
 * ({@code is_filtered}), {@code probe}/{@code probegroup} when the geometry is known, and
 * {@code provenance} (null: SpikeInterface would try to rebuild a Python object from it) with
 * Specus's own under {@code specus_provenance}. Consolidated metadata is written last.
 *
 * <p>A chunk is encoded into a reused buffer, compressed into a second one (unless it is stored raw)
 * and written under a temporary name, then renamed onto its key ({@link ZarrV2#writeZstdChunk},
 * {@link ZarrV2#writeRawChunk}). A chunk is a whole tile, so for real recordings these buffers are
 * larger than {@link WriteBuffers#DIRECT_MAX} and live on the heap (a Flink TaskManager has too
 * little direct memory for them); they are still reused from tile to tile, compressed
 * array-to-array without copies, and written through a small direct buffer.
 * Resuming: a chunk under its key that decodes to exactly one chunk's bytes is kept
 * ({@link ZarrV2#intactZstdChunk}); a raw chunk, if it has exactly one chunk's size
 * ({@link ZarrV2#intactRawChunk}). Chunks are not fsynced one by one; {@link #commit} forces
 * everything once.
 */
public final class ZarrV2Writer implements TileWriter {
  static final String TRACES = "traces_seg0";

  private final String root;
  private final long numSamples;
  private final int channels;
  private final int chunkRows;
  private final Compression compression;
  private final int zstdLevel;
  private final SampleEncoding encoding;

  /**
   * @param compression of the chunks; {@link Compression#AUTO} is resolved by the encoding
   * @param zstdLevel used when the chunks are compressed
   */
  public ZarrV2Writer(Path root, long numSamples, int channels, int chunkRows, Compression compression, int zstdLevel,
      SampleEncoding encoding) {
    this.root = root.toString();
    this.numSamples = numSamples;
    this.channels = channels;
    this.chunkRows = chunkRows;
    this.compression = compression.resolve(encoding.zarrDataType());
    this.zstdLevel = zstdLevel;
    this.encoding = encoding;
  }

  /** How chunks are stored: {@link Compression#ZSTD} or {@link Compression#NONE}. */
  public Compression compression() {
    return compression;
  }

  @Override
  public Path root() {
    return Path.of(root);
  }

  @Override
  public String format() {
    return OutputFormat.ZARR_V2.label();
  }

  private int chunkBytes() {
    return chunkRows * channels * encoding.bytesPerSample();
  }

  private static String chunkKey(long index) {
    return index + ".0";
  }

  @Override
  public OptionalLong intact(long index, WriteBuffers buffers) {
    long size = compression == Compression.ZSTD
        ? ZarrV2.intactZstdChunk(root().resolve(TRACES), chunkKey(index), chunkBytes(), buffers)
        : ZarrV2.intactRawChunk(root().resolve(TRACES), chunkKey(index), chunkBytes());
    return size < 0 ? OptionalLong.empty() : OptionalLong.of(size);
  }

  @Override
  public long write(long index, long firstSample, float[] data, int rows, WriteBuffers buffers) throws IOException {
    if (firstSample != index * chunkRows) {
      throw new IllegalStateException("tile " + index + " starts at " + firstSample + ", not at a chunk boundary");
    }
    if (rows != Math.min(chunkRows, numSamples - firstSample)) {
      throw new IllegalArgumentException("tile " + index + " has " + rows + " rows, expected "
          + Math.min(chunkRows, numSamples - firstSample));
    }
    ByteBuffer raw = buffers.raw(chunkBytes());
    encoding.put(raw, data, 0, rows * channels);
    // Zarr v2 chunks are always whole: the last one is padded with the fill value (0).
    WriteBuffers.zeroToLimit(raw);
    raw.flip();
    return compression == Compression.ZSTD
        ? ZarrV2.writeZstdChunk(root().resolve(TRACES), chunkKey(index), raw, zstdLevel, buffers)
        : ZarrV2.writeRawChunk(root().resolve(TRACES), chunkKey(index), raw, buffers);
  }

  @Override
  public void commit(RecordingInfo rec, List<Artifact> artifacts, Map<String, Object> provenance) throws IOException {
    Path r = root();
    Files.createDirectories(r.resolve(TRACES));
    ZarrV2.writeArrayMetadata(r.resolve(TRACES), new long[] {numSamples, channels}, new long[] {chunkRows, channels},
        encoding.numpyDtype(), ZarrV2.compressor(compression, zstdLevel), encoding.isInt16() ? 0 : 0.0, Map.of());
    ZarrV2.writeStringArray(r.resolve("channel_ids"), rec.channelIds(), Map.of());
    ZarrV2.writeGroup(r.resolve("properties"), Map.of());
    double[] gain = rec.gainToUv();
    ZarrV2.writeDoubleArray(r.resolve("properties/gain_to_uV"), gain, new long[] {channels}, Map.of());
    ZarrV2.writeDoubleArray(r.resolve("properties/offset_to_uV"), new double[channels], new long[] {channels}, Map.of());
    if (rec.locations() != null) {
      double[] flat = Arrays.stream(rec.locations()).flatMapToDouble(p -> Arrays.stream(p, 0, 2)).toArray();
      ZarrV2.writeDoubleArray(r.resolve("properties/location"), flat, new long[] {channels, 2}, Map.of());
    }
    for (Artifact a : artifacts) {
      ZarrV2.writeDoubleArray(r.resolve(a.name()), a.values(), a.shape(), a.attributes());
    }
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("sampling_frequency", rec.samplingRate());
    attrs.put("num_segments", 1);
    attrs.put("annotations", Map.of("is_filtered", true));
    attrs.put("provenance", null);
    if (rec.locations() != null) {
      Map<String, Object> probe = ProbeDescription.probeGroup(rec.channelIds(), rec.locations());
      attrs.put("probe", probe);
      attrs.put("probegroup", probe);
    }
    attrs.put("specus_provenance", provenance);
    ZarrV2.writeGroup(r, attrs);
    ZarrV2.consolidate(r);
    // Chunks and metadata were written without fsync: make them durable before the marker vouches for them.
    DurableShards.syncTree(r);
  }
}
