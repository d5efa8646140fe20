package org.specus.io.beam;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.specus.io.output.OutputStore;
import org.specus.io.zarr.ZarrDataType;

/**
 * Runs a {@link Tiles} chain and writes the result as a Zarr v3 group:
 * {@code tiles.apply(ZarrSink.to(out).withInnerChunkSamples(3000))}.
 *
 * <p>Each tile is read, processed and written as exactly one shard of {@code traces_seg0} inside one
 * DoFn call, so the signal never becomes a PCollection element. After every tile has reported, one
 * commit step writes the metadata and, last of all, the completion marker. The directory must have
 * been claimed with {@link OutputStore#prepare} before the pipeline runs.
 *
 * <p>Resuming: a shard already under its final name whose index is intact ({@code ShardCheck}) is
 * kept, and its tile is neither read nor computed. The claim guarantees that such a shard belongs to
 * this same result, and results are deterministic, so a resumed output is byte-identical to an
 * uninterrupted one. The counters {@link #TILES_COMPUTED} and {@link #TILES_REUSED} say how many of
 * each the run had.
 */
public final class ZarrSink extends PTransform<Tiles, PCollection<SinkSummary>> {
  public static final int DEFAULT_INNER_CHUNK_SAMPLES = 3000;
  public static final int DEFAULT_ZSTD_LEVEL = 1;
  /** Metrics namespace of the counters below, which the commit step sets once per run. */
  public static final String METRICS = "specus.sink";
  /** Tiles read, processed and written by this run. */
  public static final String TILES_COMPUTED = "tiles_computed";
  /** Tiles whose intact shard an interrupted run of the same result had left: kept, not computed. */
  public static final String TILES_REUSED = "tiles_reused";

  private final String out;
  private final int innerChunkSamples;
  private final int zstdLevel;
  private final Map<String, Object> provenance;
  private final OutputStore.ResultKey resultKey;
  private ZarrDataType dtype = ZarrDataType.FLOAT32;

  private ZarrSink(String out, int innerChunkSamples, int zstdLevel, Map<String, Object> provenance,
      OutputStore.ResultKey resultKey) {
    this.out = out;
    this.innerChunkSamples = innerChunkSamples;
    this.zstdLevel = zstdLevel;
    this.provenance = provenance;
    this.resultKey = resultKey;
  }

  /**
   * Sample type of {@code traces_seg0}: float32 (default) or int16, rounded half to even (as
   * numpy's {@code round}) and saturated at ±32767/−32768; the chain must already have scaled the
   * signal to counts (e.g. whitening's int scale).
   */
  public ZarrSink withDataType(ZarrDataType type) {
    if (type != ZarrDataType.FLOAT32 && type != ZarrDataType.INT16) {
      throw new IllegalArgumentException("output sample type must be float32 or int16, got " + type);
    }
    ZarrSink s = new ZarrSink(out, innerChunkSamples, zstdLevel, provenance, resultKey);
    s.dtype = type;
    return s;
  }

  public static ZarrSink to(Path out) {
    if (out == null) {
      throw new IllegalArgumentException("ZarrSink.to: the output path is missing");
    }
    return new ZarrSink(out.toString(), DEFAULT_INNER_CHUNK_SAMPLES, DEFAULT_ZSTD_LEVEL, Map.of(), null);
  }

  /**
   * Samples per inner chunk (the unit a reader decompresses). It must divide the tile length; the
   * default, 3000 samples, is used as an upper bound and lowered to a divisor when it does not.
   */
  public ZarrSink withInnerChunkSamples(int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("inner chunk must hold at least one sample, got " + samples);
    }
    ZarrSink s = new ZarrSink(out, samples, zstdLevel, provenance, resultKey);
    s.dtype = dtype;
    return s;
  }

  public ZarrSink withZstdLevel(int level) {
    if (level < -7 || level > 22) {
      throw new IllegalArgumentException("zstd level must be between -7 and 22, got " + level);
    }
    ZarrSink s = new ZarrSink(out, innerChunkSamples, level, provenance, resultKey);
    s.dtype = dtype;
    return s;
  }

  /** Stored as the root attribute {@code provenance}. */
  public ZarrSink withProvenance(Map<String, Object> provenance) {
    ZarrSink s = new ZarrSink(out, innerChunkSamples, zstdLevel, new LinkedHashMap<>(provenance), resultKey);
    s.dtype = dtype;
    return s;
  }

  /** Identifies the run in the completion marker, so a rerun can tell whether the output is current. */
  public ZarrSink withResultKey(OutputStore.ResultKey key) {
    ZarrSink s = new ZarrSink(out, innerChunkSamples, zstdLevel, provenance, key);
    s.dtype = dtype;
    return s;
  }

  @Override
  public PCollection<SinkSummary> expand(Tiles input) {
    if (resultKey == null) {
      throw new IllegalStateException("ZarrSink needs withResultKey(...) so the completion marker says what it holds");
    }
    int inner = innerChunkFor(input.tileSamples(), innerChunkSamples);
    TracesLayout layout = new TracesLayout(out, input.recording().numSamples(),
        input.recording().numChannels(), Math.toIntExact(input.tileSamples()), inner, zstdLevel, dtype);
    OpChain chain = input.chain();
    List<org.apache.beam.sdk.values.PCollectionView<?>> views = chain.sideInputs();
    PCollection<TileReport> reports =
        input.tiles()
            .apply("Spread tiles", Reshuffle.viaRandomKey())
            .apply("Process and write shards",
                ParDo.of(new WriteShardFn(input.recording(), chain, layout)).withSideInputs(views));
    return reports
        .apply("Collect reports", Combine.globally(new CollectReportsFn()))
        .apply("Commit",
            ParDo.of(new CommitFn(input.recording(), chain, layout, input.numTiles(),
                    new LinkedHashMap<>(provenance), resultKey))
                .withSideInputs(views));
  }

  /** The largest divisor of the tile length that is at most {@code wanted}. */
  static int innerChunkFor(long tileSamples, int wanted) {
    int tile = Math.toIntExact(tileSamples);
    for (int d = Math.min(wanted, tile); d >= 1; d--) {
      if (tile % d == 0) {
        return d;
      }
    }
    return 1;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("output", out))
        .add(DisplayData.item("innerChunkSamples", innerChunkSamples))
        .add(DisplayData.item("zstdLevel", zstdLevel));
  }
}
