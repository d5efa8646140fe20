package org.specus.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.specus.batch.BatchRunner;
import org.specus.batch.JobFactory;
import org.specus.batch.RecordingFinder;
import org.specus.pipeline.Durations;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.PreprocessJob;
import org.specus.pipeline.RunnerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Preprocess every recording under a root whose output is missing, incomplete or outdated.",
        "Recordings: SpikeGLX AP streams (.ap.bin), Open Ephys binary streams (structure.oebin), ElectricalSeries"
            + " of NWB files and MEF 3.0 sessions (.mefd, one per rate); anything sampled below 10 kHz (LFP, EEG) is"
            + " left out.",
        "Outputs mirror the input tree under --out. An output is current when it is complete and was made with the"
            + " same configuration, input and Specus version; an interrupted one is resumed (its intact shards are"
            + " kept); an outdated one is replaced. Exit code 0 when nothing failed, "
            + BatchRunner.EXIT_SOME_FAILED + " when a recording failed (all others are still processed),"
            + " 2 for bad options."})
final class BatchCommand implements Callable<Integer> {

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "Where the recordings are (walked recursively).")
  Path root;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the outputs go, mirroring the input tree.")
  Path out;

  @Option(names = "--include", paramLabel = "GLOB",
      description = "Only recordings whose path relative to --root matches (repeatable), e.g. 'mouse01/**' or"
          + " '**/*_g0_*'. Default: every recording.")
  List<String> includes = List.of();

  // From the environment by default, as for preprocess: kept out of `ps` and shell histories.
  @Option(names = "--mef-password", paramLabel = "PASSWORD", defaultValue = "${env:SPECUS_MEF_PASSWORD}",
      description = "Level-1 or level-2 password that encrypted MEF 3.0 sessions are opened with"
          + " (default: $SPECUS_MEF_PASSWORD).")
  String mefPassword;

  @Option(names = "--concat-triggers",
      description = "SpikeGLX: one recording per gate and probe, its trigger files (_t0, _t1, ...) joined in order"
          + " as preprocess --concat-triggers joins them; the output takes CatGT's name,"
          + " <run>_g<G>_tcat.imec<P>.ap.zarr.")
  boolean concatTriggers;

  @Option(names = "--dry-run", description = "Print what would be done for each recording, and why; change nothing.")
  boolean dryRun;

  @Option(names = "--report", paramLabel = "FILE",
      description = "JSON report path (default: OUT/" + BatchRunner.REPORTS + "/report-<time>-<pid>.json); the table goes"
          + " beside it as .txt.")
  Path report;

  @Mixin
  ChainOptions chain = new ChainOptions();

  @Mixin
  RunnerOptions runner = new RunnerOptions();

  @Option(names = "--progress-every", paramLabel = "DURATION", defaultValue = "30s",
      description = "Interval of progress lines when stderr is not a terminal (default: ${DEFAULT-VALUE}).")
  String progressEvery;

  @Override
  public Integer call() {
    PreprocessConfig config = chain.toConfig();
    Duration every = Duration.ofMillis(Math.round(1000 * Durations.seconds(progressEvery, "--progress-every")));
    RunnerSettings runnerSettings = runner.toSettings();
    BatchRunner.Settings settings = new BatchRunner.Settings(root, out, config, includes, dryRun, report,
        runnerSettings.describe(), every, System.console() != null);
    // One job per recording on the chosen runner.
    JobFactory jobs = (input, options, output, cfg) -> new PreprocessJob(input, options, output, cfg, runnerSettings);
    return new BatchRunner(settings, jobs, RecordingFinder.formats(mefPassword, concatTriggers))
        .run(System.out, System.err).exitCode();
  }

}
