package org.specus.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.specus.io.ReaderOptions;
import org.specus.io.StageTimes;
import org.specus.io.beam.OpenRecordings;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.output.OutputLock;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.PeakMemory;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.FlinkJobStatus;
import org.specus.pipeline.PreprocessJob;
import org.specus.pipeline.RunnerSettings;
import org.specus.pipeline.ShardProgress;

/** Runs one preprocessing job with progress, then prints the summary a person wants to see. */
final class PreprocessRun {
  private PreprocessRun() {}

  /**
   * @param replaceOutdated replace an output that holds a different result (the demo does, for its
   *     own output) instead of refusing it
   * @param clock where the summary's wall time starts
   */
  static int run(Path input, ReaderOptions readerOptions, Path output, PreprocessConfig config, RunnerSettings runner,
      boolean replaceOutdated, CommandClock clock, PrintStream out) {
    PreprocessJob job = new PreprocessJob(input, readerOptions, output, config, runner);
    PreprocessJob.Plan plan = job.build();
    RecordingInfo rec = plan.recording();
    double pipeline;
    PreprocessJob.Outcome outcome;
    WorkerLoad load; // null where the workers ran elsewhere
    boolean wasComplete;
    // One run per output at a time (a batch run may be writing it too); released when the run ends.
    try (OutputLock lock = OutputLock.acquire(output)) {
      // A rerun into a finished result of the same configuration checks every tile and keeps the
      // intact ones: the summary must not call that resuming an interrupted run.
      wasComplete = OutputStore.isComplete(output);
      if (replaceOutdated) {
        job.claimOutputReplacing(plan);
      } else {
        job.claimOutput(plan);
      }
      out.printf("specus: %s -> %s%n", input, output);
      out.printf("  %d channels, %s Hz, %.1f s, %d tiles; %s%n",
          rec.numChannels(), rec.samplingRate(), rec.durationSeconds(), plan.numTiles(), config.chainSummary());
      for (String warning : OpenRecordings.warnings(rec)) {
        out.printf("  warning: %s%n", warning);
      }
      out.printf("  runner: %s%n", runner.describe());
      Map<String, double[]> stagesBefore = StageTimes.snapshot();
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      try (ShardProgress progress = new ShardProgress(output, plan.numTiles(), rec.durationSeconds(), System.err,
          FlinkJobStatus.forRunner(runner))) {
        outcome = job.executeCounting(plan);
      }
      pipeline = (System.nanoTime() - t0) / 1e9;
      long cpu1 = processCpuNanos();
      load = cpu0 < 0 || cpu1 < 0 ? null : WorkerLoad.of(stagesBefore, StageTimes.snapshot(), (cpu1 - cpu0) / 1e9,
          pipeline, Runtime.getRuntime().availableProcessors());
      if (outcome.state() != PipelineResult.State.DONE) {
        throw new IllegalStateException("the pipeline ended in state " + outcome.state());
      }
    } finally {
      OpenRecordings.close(rec.path()); // a JVM that runs several jobs (tests, the demo) keeps no reader open
    }
    double wall = clock.seconds();
    long peakMib = PeakMemory.residentMib();
    out.println();
    out.printf("  input        %s%n", input);
    boolean sharded = config.format().equals("zarr");
    String tiles = sharded ? "shards" : "tiles";
    String unit = sharded ? tiles : tiles + ", " + config.format();
    out.printf("  output       %s (%d %s, %s)%n", output, plan.numTiles(), unit, megabytes(sizeOf(output)));
    out.printf("  recording    %.1f s, %d channels at %s Hz%n", rec.durationSeconds(), rec.numChannels(), rec.samplingRate());
    out.printf("  wall time    %.1f s (%.2fx real time): start-up %.1f s, pipeline %.1f s (%.2fx)%n", wall,
        rec.durationSeconds() / wall, wall - pipeline, pipeline, rec.durationSeconds() / pipeline);
    if (load != null) {
      out.printf("  pipeline     %s%n", load.describe());
    }
    if (outcome.tilesReused() > 0) {
      out.printf("  %-12s %d %s %s, %d computed%n", wasComplete ? "kept" : "resumed", outcome.tilesReused(), tiles,
          wasComplete ? "of the finished result already there (checked intact)" : "kept from an interrupted run",
          outcome.tilesComputed());
    }
    out.printf("  peak memory  %s resident%n", peakMib < 0 ? "unknown" : peakMib + " MiB");
    printBadChannels(output, out);
    return 0;
  }

  /** The bad-channel labels the run stored, if it detected any. */
  static void printBadChannels(Path output, PrintStream out) {
    Path labels = output.resolve("properties/channel_labels");
    if (!Files.isDirectory(labels)) {
      return;
    }
    try {
      Object names = org.specus.io.zarr.ZarrV3Reader.readAttributes(labels).get("labels");
      Object action = org.specus.io.zarr.ZarrV3Reader.readAttributes(labels).get("action");
      java.util.List<String> ids = new java.util.ArrayList<>();
      for (String id : org.specus.io.zarr.ZarrV3Reader.open(output.resolve("channel_ids")).readStrings()) {
        ids.add(id);
      }
      java.util.List<String> bad = new java.util.ArrayList<>();
      java.util.List<?> list = (java.util.List<?>) names;
      for (int c = 0; c < list.size(); c++) {
        if (!"good".equals(list.get(c))) {
          bad.add(ids.get(c) + " " + list.get(c));
        }
      }
      out.printf("  bad channels %s (%s)%n", bad.isEmpty() ? "none" : String.join(", ", bad), action);
      Object warning = org.specus.io.zarr.ZarrV3Reader.readAttributes(labels).get("warning");
      if (warning != null) {
        out.printf("  warning      %s%n", warning);
      }
    } catch (IOException | RuntimeException e) {
      out.printf("  bad channels unreadable: %s%n", e.getMessage());
    }
  }

  /** This process's CPU time so far, or -1 where the JVM does not say. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
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
