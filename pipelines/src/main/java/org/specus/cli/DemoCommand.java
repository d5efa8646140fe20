package org.specus.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.specus.pipeline.Durations;
import org.specus.io.ReaderOptions;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.RunnerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Synthesize a 384-channel Neuropixels 1.0 recording and preprocess it with the default chain",
        "on the DirectRunner (no server), then print a summary."})
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "demo",
      description = "Where the demo recording and its output go (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s",
      description = "Length of the demo recording (default: ${DEFAULT-VALUE}).")
  String duration;

  @ParentCommand
  Main main;

  @Override
  public Integer call() throws Exception {
    double seconds = Durations.seconds(duration, "--duration");
    String name = String.format("demo%ds_g0_t0.imec0.ap.bin", Math.round(seconds));
    Path bin = dir.resolve(name);
    if (Files.exists(bin) && Files.exists(SyntheticRecordingPaths.meta(bin))) {
      System.out.println("specus demo: reusing " + bin + " (synthesis is deterministic)");
    } else {
      System.out.println("specus demo: synthesizing " + bin);
      long t0 = System.currentTimeMillis();
      SynthCommand.write(bin, seconds, 384, 0);
      long synthesis = System.currentTimeMillis() - t0;
      main.clock().exclude(synthesis); // the summary times the preprocessing
      System.out.printf("specus demo: synthesized in %.1f s (not counted in the wall time below)%n", synthesis / 1e3);
    }
    Path out = dir.resolve(name.replace(".imec0.ap.bin", ".zarr"));
    // The demo owns its output: one made by an older version or configuration is replaced.
    // One tile per core, not preprocess's default of one more: on the 30 s demo the spare worker
    // has little disk wait to cover and mostly competes for the cores (alternating runs, 2 cores:
    // 7.0-7.1 s against 7.3-7.4 s with three).
    return PreprocessRun.run(bin, ReaderOptions.auto(), out, PreprocessConfig.defaults(),
        RunnerSettings.direct(Runtime.getRuntime().availableProcessors()), true, main.clock(), System.out);
  }
}
