package org.specus.io.beam;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.io.output.OutputStore;
import org.specus.io.sink.OutputFormat;
import org.specus.io.sink.SampleEncoding;
import org.specus.io.sink.TileWriter;
import org.specus.io.zarr.Compression;

/**
 * Runs a {@link Tiles} chain and writes the result in one of the {@link OutputFormat}s:
 * {@code tiles.apply(TileSink.to(out).withFormat(OutputFormat.ZARR).withResultKey(key))}.
 *
 * <p>Each tile is read, processed and written by the format's {@link TileWriter} inside one DoFn
 * call, so the signal never becomes a PCollection element. After every tile has reported, one
 * commit step checks that each tile reported exactly once, lets the writer make the tiles durable
 * and write the metadata, and writes the completion marker last. The directory must have been
 * claimed with {@link OutputStore#prepare} before the pipeline runs.
 *
 * <p>Resuming, in every format: a tile that an interrupted run of the same result left intact
 * ({@link TileWriter#intact}) is kept, and is neither read nor computed. The claim guarantees that
 * such a tile belongs to this same result, and results are deterministic, so a resumed output is
 * byte-identical to an uninterrupted one. The counters {@link #TILES_COMPUTED} and
 * {@link #TILES_REUSED} say how many of each the run had.
 */
public final class TileSink extends PTransform<Tiles, PCollection<SinkSummary>> {
  public static final int DEFAULT_INNER_CHUNK_SAMPLES = 3000;
  public static final int DEFAULT_ZSTD_LEVEL = 1;

  /**
   * Tiles per bundle of the writing step (see {@link SpreadTiles}). Small enough that the last
   * round of bundles keeps both cores busy: with 8, a 1-minute recording (60 tiles) made 8 bundles
   * for 3 workers, and its last 8-tile bundle ran alone for about a second; with 4 it makes 15,
   * five rounds of three. Measured with the DirectRunner on 2 cores, alternating runs: main pass
   * of 1 minute 5.5–6.4 s against 6.4–7.0 s with 8; of 5 minutes 26.2–26.9 s against 27.2–27.7 s
   * (the per-bundle set-up no longer costs what it did when 8 was chosen: 4 tiles then took 82.7 s
   * of CPU at 5 minutes against 77.7–78.9 s).
   */
  static final int TILES_PER_BUNDLE = 4;
  /** Metrics namespace of the counters below, which the commit step sets once per run. */
  public static final String METRICS = "specus.sink";
  /** Tiles read, processed and written by this run. */
  public static final String TILES_COMPUTED = "tiles_computed";
  /** Tiles that an interrupted run of the same result had left intact: kept, not computed. */
  public static final String TILES_REUSED = "tiles_reused";

  private final String out;
  private final OutputFormat format;
  private final SampleEncoding encoding;
  private final int innerChunkSamples;
  private final Compression compression;
  private final int zstdLevel;
  private final Map<String, Object> provenance;
  private final OutputStore.ResultKey resultKey;

  private TileSink(String out, OutputFormat format, SampleEncoding encoding, int innerChunkSamples,
      Compression compression, int zstdLevel, Map<String, Object> provenance, OutputStore.ResultKey resultKey) {
    this.out = out;
    this.format = format;
    this.encoding = encoding;
    this.innerChunkSamples = innerChunkSamples;
    this.compression = compression;
    this.zstdLevel = zstdLevel;
    this.provenance = provenance;
    this.resultKey = resultKey;
  }

  /**
   * Float32 Zarr v3 into {@code out}, with the default inner chunk, compression ({@code auto}) and
   * zstd level.
   */
  public static TileSink to(Path out) {
    if (out == null) {
      throw new IllegalArgumentException("TileSink.to: the output path is missing");
    }
    return new TileSink(out.toString(), OutputFormat.ZARR, SampleEncoding.float32(), DEFAULT_INNER_CHUNK_SAMPLES,
        Compression.AUTO, DEFAULT_ZSTD_LEVEL, Map.of(), null);
  }

  public TileSink withFormat(OutputFormat format) {
    if (format == null) {
      throw new IllegalArgumentException("TileSink.withFormat: the format is missing");
    }
    return new TileSink(out, format, encoding, innerChunkSamples, compression, zstdLevel, provenance, resultKey);
  }

  /**
   * How samples are stored: float32 (default) or int16, rounded half to even (as numpy's
   * {@code round}) and saturated at ±32767/−32768; the chain must already have scaled the signal
   * to counts (e.g. whitening's int scale).
   */
  public TileSink withEncoding(SampleEncoding encoding) {
    if (encoding == null) {
      throw new IllegalArgumentException("TileSink.withEncoding: the sample encoding is missing");
    }
    return new TileSink(out, format, encoding, innerChunkSamples, compression, zstdLevel, provenance, resultKey);
  }

  /**
   * Samples per inner chunk of a Zarr v3 shard (the unit a reader decompresses); other formats
   * ignore it. It must divide the tile length; the default, 3000 samples, is used as an upper
   * bound and lowered to a divisor when it does not.
   */
  public TileSink withInnerChunkSamples(int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("inner chunk must hold at least one sample, got " + samples);
    }
    return new TileSink(out, format, encoding, samples, compression, zstdLevel, provenance, resultKey);
  }

  /**
   * How Zarr chunks are stored: {@link Compression#ZSTD}, {@link Compression#NONE} (raw), or
   * {@link Compression#AUTO} (the default): none for float32, zstd for int16 (see
   * {@link Compression} why). The binary format is never compressed and refuses an explicit zstd.
   */
  public TileSink withCompression(Compression compression) {
    if (compression == null) {
      throw new IllegalArgumentException("TileSink.withCompression: the compression is missing");
    }
    return new TileSink(out, format, encoding, innerChunkSamples, compression, zstdLevel, provenance, resultKey);
  }

  /** The zstd level of compressed Zarr chunks. */
  public TileSink withZstdLevel(int level) {
    if (level < -7 || level > 22) {
      throw new IllegalArgumentException("zstd level must be between -7 and 22, got " + level);
    }
    return new TileSink(out, format, encoding, innerChunkSamples, compression, level, provenance, resultKey);
  }

  /** What made the output, stored with it (the root attribute {@code provenance} in Zarr v3). */
  public TileSink withProvenance(Map<String, Object> provenance) {
    return new TileSink(out, format, encoding, innerChunkSamples, compression, zstdLevel,
        new LinkedHashMap<>(provenance), resultKey);
  }

  /** Identifies the run in the completion marker, so a rerun can tell whether the output is current. */
  public TileSink withResultKey(OutputStore.ResultKey key) {
    return new TileSink(out, format, encoding, innerChunkSamples, compression, zstdLevel, provenance, key);
  }

  @Override
  public PCollection<SinkSummary> expand(Tiles input) {
    if (resultKey == null) {
      throw new IllegalStateException("TileSink needs withResultKey(...) so the completion marker says what it holds");
    }
    if (format == OutputFormat.BINARY && compression == Compression.ZSTD) {
      throw new IllegalArgumentException("compression zstd applies to zarr and zarr-v2; the binary format is never"
          + " compressed");
    }
    RecordingInfo rec = input.recording();
    TileWriter writer = format.writer(Path.of(out), rec.numSamples(), rec.numChannels(),
        Math.toIntExact(input.tileSamples()), innerChunkSamples, compression, zstdLevel, encoding);
    OpChain chain = input.chain();
    List<PCollectionView<?>> views = chain.sideInputs();
    PCollection<TileReport> reports = input.tiles()
        .apply("Spread tiles", SpreadTiles.inBundlesOf(TILES_PER_BUNDLE).waitingFor(views))
        .apply("Process and write tiles", ParDo.of(new WriteTileFn(rec, chain, writer)).withSideInputs(views));
    return reports
        .apply("Collect reports", Combine.globally(new CollectReportsFn()))
        .apply("Commit", ParDo.of(new CommitFn(rec, chain, writer, input.numTiles(), new LinkedHashMap<>(provenance),
            resultKey)).withSideInputs(views));
  }

  /** How the chunks are stored, {@link Compression#AUTO} resolved by the sample type. */
  private Compression storedCompression() {
    return format == OutputFormat.BINARY ? Compression.NONE : compression.resolve(encoding.zarrDataType());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("output", out))
        .add(DisplayData.item("format", format.label()))
        .add(DisplayData.item("dtype", encoding.dtype()));
    if (format != OutputFormat.BINARY) {
      Compression stored = storedCompression();
      builder.add(DisplayData.item("compression", stored.label()));
      if (stored == Compression.ZSTD) {
        builder.add(DisplayData.item("zstdLevel", zstdLevel));
      }
    }
    if (format == OutputFormat.ZARR) {
      builder.add(DisplayData.item("innerChunkSamples", innerChunkSamples));
    }
  }
}
