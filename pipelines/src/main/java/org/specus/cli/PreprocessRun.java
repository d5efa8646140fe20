package org.specus.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.specus.io.beam.RecordingInfo;
import org.specus.pipeline.PeakMemory;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.FlinkJobStatus;
import org.specus.pipeline.PreprocessJob;
import org.specus.pipeline.RunnerSettings;
import org.specus.pipeline.ShardProgress;

/** Runs one preprocessing job with progress, then prints the summary a person wants to see. */
final class PreprocessRun {
  private PreprocessRun() {}

  static int run(Path input, Path output, PreprocessConfig config, int parallelism, PrintStream out) {
    return run(input, output, config, RunnerSettings.direct(parallelism), out);
  }

  static int run(Path input, Path output, PreprocessConfig config, RunnerSettings runner, PrintStream out) {
    PreprocessJob job = new PreprocessJob(input, output, config, runner);
    PreprocessJob.Plan plan = job.build();
    RecordingInfo rec = plan.recording();
    job.claimOutput(plan);
    out.printf("specus: %s -> %s%n", input, output);
    out.printf("  %d channels, %s Hz, %.1f s, %d tiles; %s%n",
        rec.numChannels(), rec.samplingRate(), rec.durationSeconds(), plan.numTiles(), config.chainSummary());
    out.printf("  runner: %s%n", runner.describe());
    long t0 = System.nanoTime();
    PipelineResult.State state;
    try (ShardProgress progress = new ShardProgress(output, plan.numTiles(), rec.durationSeconds(), System.err,
        FlinkJobStatus.forRunner(runner))) {
      state = job.execute(plan);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + state);
    }
    long peak = PeakMemory.residentBytes();
    out.println();
    out.printf("  input        %s%n", input);
    out.printf("  output       %s (%d shards, %s)%n", output, plan.numTiles(), megabytes(sizeOf(output)));
    out.printf("  recording    %.1f s, %d channels at %s Hz%n", rec.durationSeconds(), rec.numChannels(), rec.samplingRate());
    out.printf("  wall time    %.1f s (%.2fx real time)%n", wall, rec.durationSeconds() / wall);
    out.printf("  peak memory  %s resident%n", peak < 0 ? "unknown" : megabytes(peak));
    return 0;
  }

  private static String megabytes(long bytes) {
    return String.format("%.0f MB", bytes / 1e6);
  }

  private static long sizeOf(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      return -1;
    }
  }
}
