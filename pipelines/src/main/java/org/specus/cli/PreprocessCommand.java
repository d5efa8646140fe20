package org.specus.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.specus.pipeline.Durations;
import org.specus.pipeline.PreprocessConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "preprocess", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Bandpass, common-reference and whiten a recording into a Zarr v3 store.",
        "Defaults follow SpikeInterface: Butterworth order 5 (second-order sections, forward-backward) 300-6000 Hz,"
            + " global median reference, global ZCA whitening from 20 x 0.5 s chunks."})
final class PreprocessCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IN", description = "Recording: SpikeGLX .bin/.meta, Open Ephys structure.oebin"
      + " or its folder, .nwb, a .zarr store, or a headerless binary with --raw-*.")
  Path input;

  @Mixin
  InputOptions inputOptions = new InputOptions();

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output directory (OUT.zarr for Zarr).")
  Path output;

  @Option(names = "--format", paramLabel = "zarr|zarr-v2|binary", defaultValue = "zarr",
      description = "Output format: Zarr v3 shards, the Zarr v2 layout SpikeInterface opens, or a flat binary for"
          + " Kilosort in a SpikeInterface binary folder (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--int-scale", paramLabel = "SCALE",
      description = "With --dtype int16: stored value = round(sample x SCALE); required, never guessed.")
  Double intScale;

  @Option(names = "--bandpass", paramLabel = "LOW,HIGH", defaultValue = "300,6000",
      description = "Bandpass cutoffs in Hz, or 'none' (default: ${DEFAULT-VALUE}).")
  String bandpass;

  @Option(names = "--cmr", paramLabel = "median|average|none", defaultValue = "median",
      description = "Common reference over all channels (default: ${DEFAULT-VALUE}).")
  String cmr;

  @Option(names = "--whiten", paramLabel = "global|none", defaultValue = "global",
      description = "Whitening (default: ${DEFAULT-VALUE}).")
  String whiten;

  @Option(names = "--tile", paramLabel = "DURATION", defaultValue = "1s",
      description = "Tile length; one tile is one shard of the output (default: ${DEFAULT-VALUE}).")
  String tile;

  @Option(names = "--inner-chunk", paramLabel = "SAMPLES", defaultValue = "3000",
      description = "Samples per inner chunk inside a shard, at most; lowered to divide the tile (default: ${DEFAULT-VALUE}).")
  int innerChunk;

  @Option(names = "--runner", paramLabel = "direct", defaultValue = "direct",
      description = "Beam runner (default: ${DEFAULT-VALUE}).")
  String runner;

  @Option(names = "--dtype", paramLabel = "float32|int16", defaultValue = "float32",
      description = "Output sample type; int16 needs --int-scale and --format binary or zarr-v2 (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--parallelism", paramLabel = "N",
      description = "Tiles processed at once (default: the number of cores).")
  Integer parallelism;

  @Override
  public Integer call() {
    if (!runner.equals("direct")) {
      throw new IllegalArgumentException("--runner " + runner + " is not available yet; use direct");
    }
    PreprocessConfig.Builder config = PreprocessConfig.defaults().toBuilder()
        .reference(cmr)
        .whiten(whiten)
        .tileSeconds(Durations.seconds(tile, "--tile"))
        .innerChunkSamples(innerChunk)
        .dtype(dtype)
        .format(format)
        .intScale(intScale == null ? 0 : intScale);
    if (intScale != null && !dtype.equals("int16")) {
      throw new IllegalArgumentException("--int-scale applies to --dtype int16 only");
    }
    parseBandpass(config, bandpass);
    int n = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    if (n < 1) {
      throw new IllegalArgumentException("--parallelism must be at least 1, got " + n);
    }
    return PreprocessRun.run(input, inputOptions.toReaderOptions(), output, config.build(), n, System.out);
  }

  static void parseBandpass(PreprocessConfig.Builder config, String text) {
    if (text.equalsIgnoreCase("none")) {
      config.bandpass(null, null);
      return;
    }
    String[] parts = text.split(",");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--bandpass expects LOW,HIGH in Hz (e.g. 300,6000) or none, got '" + text + "'");
    }
    try {
      config.bandpass(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--bandpass expects numbers in Hz (e.g. 300,6000), got '" + text + "'");
    }
  }
}
