package org.specus.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.specus.pipeline.Durations;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.RunnerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "preprocess", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Bandpass, common-reference and whiten a recording into a Zarr v3 store.",
        "Defaults follow SpikeInterface: Butterworth order 5 (second-order sections, forward-backward) 300-6000 Hz,"
            + " global median reference, global ZCA whitening from 20 x 0.5 s chunks."})
final class PreprocessCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IN", description = "Recording (SpikeGLX .bin or .meta).")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.zarr", description = "Output Zarr store (a directory).")
  Path output;

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

  @Option(names = "--runner", paramLabel = "direct|flink", defaultValue = "direct",
      description = "Beam runner: direct (in this process), or flink (a cluster with --flink-master, else an embedded"
          + " Flink MiniCluster) (default: ${DEFAULT-VALUE}).")
  String runner;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT",
      description = "REST address of a Flink 1.19 session cluster's JobManager (with --runner flink);"
          + " see runners-config/flink/.")
  String flinkMaster;

  @Option(names = "--dtype", paramLabel = "float32", defaultValue = "float32",
      description = "Output sample type (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--parallelism", paramLabel = "N",
      description = "Tiles processed at once (default: the number of cores; on a Flink cluster, its parallelism.default).")
  Integer parallelism;

  @Override
  public Integer call() {
    PreprocessConfig.Builder config = PreprocessConfig.defaults().toBuilder()
        .reference(cmr)
        .whiten(whiten)
        .tileSeconds(Durations.seconds(tile, "--tile"))
        .innerChunkSamples(innerChunk)
        .dtype(dtype);
    parseBandpass(config, bandpass);
    PreprocessConfig built = config.build();
    return PreprocessRun.run(input, output, built, RunnerSettings.of(runner, flinkMaster, parallelism), System.out);
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
