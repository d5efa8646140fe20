package org.specus.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.specus.dsp.KernelWarmUp;
import org.specus.io.ReaderOptions;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.RecordingSource;
import org.specus.io.beam.TileSink;
import org.specus.io.beam.Tiles;
import org.specus.io.output.OutputStore;

/**
 * Builds the preprocessing pipeline for one recording and runs it: reader, chain, sink (in the
 * configured output format).
 * Everything that can be checked is checked while building, before the output directory is
 * touched and before any tile is processed.
 */
public final class PreprocessJob {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Path input;
  private final Path output;
  private final PreprocessConfig config;
  private final RunnerSettings runner;
  private final ReaderOptions readerOptions;

  /** On the DirectRunner, {@code parallelism} tiles at once. */
  public PreprocessJob(Path input, Path output, PreprocessConfig config, int parallelism) {
    this(input, ReaderOptions.auto(), output, config, RunnerSettings.direct(parallelism));
  }

  /** {@code readerOptions}: how to open the input when its path does not say it all (reader, stream, raw layout). */
  public PreprocessJob(Path input, ReaderOptions readerOptions, Path output, PreprocessConfig config, int parallelism) {
    this(input, readerOptions, output, config, RunnerSettings.direct(parallelism));
  }

  public PreprocessJob(Path input, Path output, PreprocessConfig config, RunnerSettings runner) {
    this(input, ReaderOptions.auto(), output, config, runner);
  }

  public PreprocessJob(Path input, ReaderOptions readerOptions, Path output, PreprocessConfig config,
      RunnerSettings runner) {
    // Absolute: workers (a Flink TaskManager has its own working directory) resolve these paths.
    this.input = input.toAbsolutePath();
    this.output = output.toAbsolutePath();
    this.readerOptions = readerOptions;
    this.config = config;
    this.runner = runner;
  }

  /** A built pipeline, ready to run, and what it will do. */
  public record Plan(Pipeline pipeline, RecordingInfo recording, long numTiles, OutputStore.ResultKey key) {}

  public Plan build() {
    if (runner.kind() == RunnerSettings.Kind.DIRECT) {
      // The tiles are processed in this JVM: let the idle core compile the kernels while the
      // pipeline is built (Neuropixels' 384 channels; other counts only change loop lengths). Once
      // per JVM, so in a batch the later recordings find them compiled.
      KernelWarmUp.startInBackground(384);
    }
    Pipeline p = Pipeline.create(runner.toPipelineOptions());
    Tiles tiles = readAndProcess(p, input, readerOptions, config);
    RecordingInfo rec = tiles.recording();
    String version = SoftwareVersion.get();
    OutputStore.ResultKey key = resultKey(config, rec.fingerprint());
    Map<String, Object> provenance = provenance(rec, tiles, version);
    tiles = TestHooks.slowDownIfAsked(tiles); // test only; after the provenance, which must not show it
    tiles.apply("Write " + output.getFileName(), TileSink.to(output)
        .withFormat(config.outputFormat())
        .withEncoding(config.sampleEncoding())
        .withInnerChunkSamples(config.innerChunkSamples())
        .withCompression(config.storedCompression())
        .withZstdLevel(config.zstdLevel())
        .withProvenance(provenance)
        .withResultKey(key));
    return new Plan(p, rec, tiles.numTiles(), key);
  }

  /**
   * The reader and the configured chain, applied to {@code p}: everything up to the sink. Building
   * it opens the recording for its metadata and runs every check the chain makes against the
   * recording (cutoffs against its Nyquist frequency, its length, its channels), without reading a
   * sample.
   */
  public static Tiles readAndProcess(Pipeline p, Path input, ReaderOptions readerOptions, PreprocessConfig config) {
    Tiles tiles = p.apply("Read " + input.getFileName(),
        RecordingSource.read(input).withTileSeconds(config.tileSeconds()).withReaderOptions(readerOptions));
    return config.pipeline().apply(tiles);
  }

  /**
   * What an output made from an input with this fingerprint and this configuration by this software
   * is: the key stored in its markers. Batch reprocessing compares it with what an output holds.
   */
  public static OutputStore.ResultKey resultKey(PreprocessConfig config, String inputFingerprint) {
    return new OutputStore.ResultKey(hash(config.toMap()), inputFingerprint, SoftwareVersion.get());
  }

  /** How a run ended, and how many tiles it computed and kept from an earlier run of the same result. */
  public record Outcome(PipelineResult.State state, long tilesComputed, long tilesReused) {}

  /** As {@link #execute}, also reporting the sink's counts of computed and reused tiles. */
  public Outcome executeCounting(Plan plan) {
    PipelineResult result = runner.runToEnd(plan.pipeline());
    return new Outcome(result.getState(), counter(result, TileSink.TILES_COMPUTED), counter(result, TileSink.TILES_REUSED));
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults metrics = result.metrics().queryMetrics(
        MetricsFilter.builder().addNameFilter(MetricNameFilter.named(TileSink.METRICS, name)).build());
    long total = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      Long value;
      try {
        value = c.getCommitted();
      } catch (UnsupportedOperationException e) {
        value = c.getAttempted(); // runners without committed metrics
      }
      total += value == null ? 0 : value;
    }
    return total;
  }

  /** Claims the output directory and runs the pipeline to completion. */
  public PipelineResult.State run(Plan plan) {
    claimOutput(plan);
    return execute(plan);
  }

  /** Runs the pipeline into an output already claimed with {@link #claimOutput}. */
  public PipelineResult.State execute(Plan plan) {
    return runner.execute(plan.pipeline());
  }

  /** Claims the output directory, or fails in one line if it holds something else or cannot be written. */
  public void claimOutput(Plan plan) {
    OutputStore.prepare(output, plan.key());
  }

  /** As {@link #claimOutput}, but an output holding a different result is cleared and replaced. */
  public void claimOutputReplacing(Plan plan) {
    OutputStore.prepareReplacing(output, plan.key());
  }

  private Map<String, Object> provenance(RecordingInfo rec, Tiles tiles, String version) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("path", rec.path());
    input.put("format", rec.format());
    input.put("fingerprint", rec.fingerprint());
    if (!readerOptions.toMap().isEmpty()) {
      input.put("reader_options", readerOptions.toMap());
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("software", Map.of("name", "specus", "version", version));
    p.put("input", input);
    p.put("configuration", config.toMap());
    p.put("chain", tiles.chain().describe());
    return p;
  }

  static String hash(Map<String, Object> value) {
    try {
      byte[] json = CANONICAL.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash the configuration", e);
    }
  }
}
