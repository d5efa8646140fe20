package org.specus.cli;

import org.specus.pipeline.RunnerSettings;
import picocli.CommandLine.Option;

/** Where a run executes: shared by {@code preprocess} and {@code batch}. */
final class RunnerOptions {

  @Option(names = "--runner", paramLabel = "direct|flink", defaultValue = "direct",
      description = "Beam runner: direct (in this process) or flink (a session cluster with --flink-master, else an"
          + " embedded MiniCluster) (default: ${DEFAULT-VALUE}).")
  String runner;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT",
      description = "REST address of a Flink 1.19 session cluster's JobManager (with --runner flink);"
          + " see runners-config/flink/.")
  String flinkMaster;

  @Option(names = "--parallelism", paramLabel = "N",
      description = "Tiles processed at once (default: the number of cores plus one, for the disk waits; on a cluster, its slots).")
  Integer parallelism;

  RunnerSettings toSettings() {
    return RunnerSettings.of(runner, flinkMaster, parallelism);
  }
}
