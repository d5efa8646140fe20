package org.specus.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.specus.pipeline.Durations;
import org.specus.synth.SynthConfig;
import org.specus.synth.SyntheticRecording;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Write a synthetic Neuropixels 1.0 SpikeGLX recording (.bin + .meta) with its ground truth.",
        "Band-limited noise (~10 uV rms), common-mode stripes, 60 Hz line noise and spikes spread over"
            + " neighbouring channels at known times. Streams to disk: any duration fits in bounded memory."})
final class SynthCommand implements Callable<Integer> {

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR/NAME.imec0.ap.bin",
      description = "The .bin to write; the .meta and NAME.groundtruth.csv go beside it.")
  Path output;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s",
      description = "Length, e.g. 60s, 10m (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--channels", paramLabel = "N", defaultValue = "384",
      description = "Recording channels, 1-384; a sync channel is added (default: ${DEFAULT-VALUE}).")
  int channels;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed: the same seed gives the same bytes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    SyntheticRecording.Output out = write(output, Durations.seconds(duration, "--duration"), channels, seed);
    System.out.printf("wrote %s (%d channels + sync, %.1f s, %.0f MB, %d spikes) in %.1f s%n",
        out.bin(), channels, out.samples() / 30000.0, out.bytes() / 1e6, out.spikes(), out.seconds());
    System.out.printf("  meta          %s%n  ground truth  %s%n", out.meta(), out.groundTruth());
    return 0;
  }

  static SyntheticRecording.Output write(Path bin, double seconds, int channels, long seed) throws Exception {
    if (channels < 1 || channels > SynthConfig.MAX_CHANNELS) {
      throw new IllegalArgumentException("--channels must be between 1 and " + SynthConfig.MAX_CHANNELS + ", got " + channels);
    }
    SynthConfig config = SynthConfig.builder().durationSeconds(seconds).channels(channels).seed(seed).build();
    return new SyntheticRecording(config).write(bin);
  }
}
