package org.specus.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.RunnerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "preprocess", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Filter, common-reference and whiten a recording into a Zarr v3 store.",
        "Defaults follow SpikeInterface: Butterworth order 5 (second-order sections, forward-backward) 300-6000 Hz,"
            + " global median reference, global ZCA whitening from 20 x 0.5 s chunks.",
        "The operations and their order come from the flags below or from a pipeline file (--config);"
            + " --config OUT.zarr re-runs what made an earlier output."})
final class PreprocessCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IN", description = "Recording: SpikeGLX .bin/.meta, Open Ephys structure.oebin"
      + " or its folder, .nwb, a .zarr store, a MEF 3.0 .mefd folder, or a headerless binary with --raw-*.")
  Path input;

  @Mixin
  InputOptions inputOptions = new InputOptions();

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output directory (OUT.zarr for Zarr).")
  Path output;

  @Mixin
  ChainOptions chain = new ChainOptions();

  @Mixin
  RunnerOptions runner = new RunnerOptions();

  @ParentCommand
  Main main;

  @Override
  public Integer call() {
    PreprocessConfig config = chain.toConfig();
    return PreprocessRun.run(input, inputOptions.toReaderOptions(), output, config, runner.toSettings(), false,
        main.clock(), System.out);
  }
}
