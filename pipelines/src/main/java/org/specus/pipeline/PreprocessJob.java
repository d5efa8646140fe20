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
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.RecordingSource;
import org.specus.io.beam.Tiles;
import org.specus.io.beam.ZarrSink;
import org.specus.io.output.OutputStore;
import org.specus.transforms.Bandpass;
import org.specus.transforms.CommonReference;
import org.specus.transforms.Whiten;

/**
 * Builds the preprocessing pipeline for one recording and runs it: reader, chain, Zarr sink.
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

  /** On the DirectRunner, {@code parallelism} tiles at once. */
  public PreprocessJob(Path input, Path output, PreprocessConfig config, int parallelism) {
    this(input, output, config, RunnerSettings.direct(parallelism));
  }

  public PreprocessJob(Path input, Path output, PreprocessConfig config, RunnerSettings runner) {
    // Absolute: workers (a Flink TaskManager has its own working directory) resolve these paths.
    this.input = input.toAbsolutePath();
    this.output = output.toAbsolutePath();
    this.config = config;
    this.runner = runner;
  }

  /** A built pipeline, ready to run, and what it will do. */
  public record Plan(Pipeline pipeline, RecordingInfo recording, long numTiles, OutputStore.ResultKey key) {}

  public Plan build() {
    Pipeline p = Pipeline.create(runner.toPipelineOptions());

    Tiles tiles = p.apply("Read " + input.getFileName(), RecordingSource.read(input).withTileSeconds(config.tileSeconds()));
    if (config.bandpassLowHz() != null) {
      tiles = tiles.apply("Bandpass", Bandpass.of(config.bandpassLowHz(), config.bandpassHighHz()).withOrder(config.bandpassOrder()));
    }
    switch (config.reference()) {
      case "median" -> tiles = tiles.apply("Common median reference", CommonReference.median());
      case "average" -> tiles = tiles.apply("Common average reference", CommonReference.average());
      default -> { }
    }
    if (config.whiten().equals("global")) {
      tiles = tiles.apply("Whiten",
          Whiten.global().withSample(config.whitenChunks(), config.whitenChunkSeconds()).withSeed(config.seed()));
    }
    RecordingInfo rec = tiles.recording();
    String version = SoftwareVersion.get();
    OutputStore.ResultKey key = new OutputStore.ResultKey(hash(config.toMap()), rec.fingerprint(), version);
    Map<String, Object> provenance = provenance(rec, tiles, version);
    tiles = TestHooks.slowDownIfAsked(tiles); // test only; after the provenance, which must not show it
    tiles.apply("Write " + output.getFileName(),
        ZarrSink.to(output)
            .withInnerChunkSamples(config.innerChunkSamples())
            .withZstdLevel(config.zstdLevel())
            .withProvenance(provenance)
            .withResultKey(key));
    return new Plan(p, rec, tiles.numTiles(), key);
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

  private Map<String, Object> provenance(RecordingInfo rec, Tiles tiles, String version) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("path", rec.path());
    input.put("format", rec.format());
    input.put("fingerprint", rec.fingerprint());
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
