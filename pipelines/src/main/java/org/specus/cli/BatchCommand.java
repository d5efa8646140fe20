package org.specus.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.specus.batch.BatchRunner;
import org.specus.batch.JobFactory;
import org.specus.pipeline.Durations;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.PreprocessJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Preprocess every recording under a root whose output is missing, incomplete or outdated.",
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

  @Option(names = "--dry-run", description = "Print what would be done for each recording, and why; change nothing.")
  boolean dryRun;

  @Option(names = "--report", paramLabel = "FILE",
      description = "JSON report path (default: OUT/" + BatchRunner.REPORTS + "/report-<time>-<pid>.json); the table goes"
          + " beside it as .txt.")
  Path report;

  @Mixin
  ChainOptions chain = new ChainOptions();

  @Option(names = "--runner", paramLabel = "direct", defaultValue = "direct",
      description = "Beam runner for each recording (default: ${DEFAULT-VALUE}).")
  String runner;

  @Option(names = "--parallelism", paramLabel = "N",
      description = "Tiles processed at once (default: the number of cores).")
  Integer parallelism;

  @Option(names = "--progress-every", paramLabel = "DURATION", defaultValue = "30s",
      description = "Interval of progress lines when stderr is not a terminal (default: ${DEFAULT-VALUE}).")
  String progressEvery;

  @Override
  public Integer call() {
    PreprocessConfig config = chain.toConfig();
    JobFactory jobs = jobs();
    Duration every = Duration.ofMillis(Math.round(1000 * Durations.seconds(progressEvery, "--progress-every")));
    BatchRunner.Settings settings = new BatchRunner.Settings(root, out, config, includes, dryRun, report, runner,
        every, System.console() != null);
    return new BatchRunner(settings, jobs).run(System.out, System.err).exitCode();
  }

  /** One job per recording on the chosen runner: the one place that knows about runners. */
  private JobFactory jobs() {
    if (!runner.equals("direct")) {
      throw new IllegalArgumentException("--runner " + runner + " is not available yet; use direct");
    }
    int n = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    if (n < 1) {
      throw new IllegalArgumentException("--parallelism must be at least 1, got " + n);
    }
    return (input, output, config) -> new PreprocessJob(input, output, config, n);
  }
}
