package org.specus.pipeline;

import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Where a pipeline runs and how wide: the command line's {@code --runner}, {@code --flink-master}
 * and {@code --parallelism}, turned into Beam {@link PipelineOptions}. Immutable; the factories
 * check what can be checked before anything runs (a Flink master that does not answer is reported
 * here, not after the output directory was claimed).
 *
 * <ul>
 *   <li>{@link #direct}: Beam's DirectRunner in this JVM, {@code parallelism} tiles at once.
 *   <li>{@link #flinkEmbedded}: Flink's MiniCluster in this JVM (the same code path as a cluster:
 *       Flink's scheduler, serialization and shuffles).
 *   <li>{@link #flinkCluster}: a Flink 1.19 session cluster reached at its REST address; the code
 *       is shipped as the slim job jar (see {@link FlinkJobJar}), so the TaskManagers need nothing
 *       of Specus installed, but they must see the input and output paths (same machine or a shared
 *       file system).
 * </ul>
 */
public final class RunnerSettings {
  public enum Kind { DIRECT, FLINK }

  private final Kind kind;
  private final String flinkMaster; // null: embedded MiniCluster
  private final int parallelism;
  private final Path jobJar;
  private final long testTileDelayMillis;
  private final String jobName;

  private RunnerSettings(Kind kind, String flinkMaster, int parallelism, Path jobJar, long testTileDelayMillis) {
    this.kind = kind;
    this.flinkMaster = flinkMaster;
    this.parallelism = parallelism;
    this.jobJar = jobJar;
    this.testTileDelayMillis = testTileDelayMillis;
    // Unique, so the job can be found in the cluster's REST API while the client blocks on it.
    this.jobName = "specus-preprocess-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * The DirectRunner with {@code parallelism} tiles at once ({@code null}: one per core, plus one).
   * The extra tile is for the disk: input is read and shards are written past the page cache, so a
   * worker waits for the device while it reads and writes (~90 ms per 1 s tile of 384 channels here),
   * and a third tile on 2 cores kept both busy (1 minute: 17.1 s instead of 18.4–19.3 s, ~40 MB more
   * resident memory).
   */
  public static RunnerSettings direct(Integer parallelism) {
    return new RunnerSettings(Kind.DIRECT, null, checkParallelism(parallelism, cores() + 1), null,
        TestHooks.tileDelayMillis());
  }

  /** Flink's embedded MiniCluster ({@code null} parallelism: one per core). */
  public static RunnerSettings flinkEmbedded(Integer parallelism) {
    return new RunnerSettings(Kind.FLINK, null, checkParallelism(parallelism, cores()), null, TestHooks.tileDelayMillis());
  }

  /**
   * A Flink session cluster at {@code master} (its REST address, HOST:PORT). Asks the cluster that
   * it is there; {@code null} parallelism takes the cluster's {@code parallelism.default}.
   */
  public static RunnerSettings flinkCluster(String master, Integer parallelism) {
    FlinkCluster cluster = FlinkCluster.at(master);
    int defaultParallelism = cluster.defaultParallelism();
    return new RunnerSettings(Kind.FLINK, cluster.address(), checkParallelism(parallelism, defaultParallelism),
        FlinkJobJar.locate(), TestHooks.tileDelayMillis());
  }

  /** From the command line's words: {@code runner} is direct or flink; {@code flinkMaster} only with flink. */
  public static RunnerSettings of(String runner, String flinkMaster, Integer parallelism) {
    switch (runner.toLowerCase(Locale.ROOT)) {
      case "direct" -> {
        if (flinkMaster != null) {
          throw new IllegalArgumentException("--flink-master needs --runner flink");
        }
        return direct(parallelism);
      }
      case "flink" -> {
        return flinkMaster == null || flinkMaster.equals("[local]") || flinkMaster.equals("local")
            ? flinkEmbedded(parallelism)
            : flinkCluster(flinkMaster, parallelism);
      }
      default -> throw new IllegalArgumentException("--runner must be direct or flink, got '" + runner + "'");
    }
  }

  /** The same settings with another job jar (tests point at a freshly built one). */
  public RunnerSettings withJobJar(Path jar) {
    return new RunnerSettings(kind, flinkMaster, parallelism, jar, testTileDelayMillis);
  }

  public Kind kind() {
    return kind;
  }

  public int parallelism() {
    return parallelism;
  }

  /** The cluster's REST address, or null for the DirectRunner and the embedded MiniCluster. */
  public String flinkMaster() {
    return flinkMaster;
  }

  public String jobName() {
    return jobName;
  }

  /** One line for the run's header. */
  public String describe() {
    return switch (kind) {
      case DIRECT -> "DirectRunner, " + parallelism + " tiles at once";
      case FLINK -> flinkMaster == null
          ? "Flink (embedded MiniCluster), parallelism " + parallelism
          : "Flink cluster at " + flinkMaster + ", parallelism " + parallelism + ", job " + jobName;
    };
  }

  public PipelineOptions toPipelineOptions() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setJobName(jobName);
    if (testTileDelayMillis > 0) {
      options.as(TestHooks.Options.class).setSpecusTestTileDelayMillis(testTileDelayMillis);
    }
    switch (kind) {
      case DIRECT -> {
        options.setRunner(DirectRunner.class);
        DirectOptions direct = options.as(DirectOptions.class);
        direct.setTargetParallelism(parallelism);
        // Elements are small immutable descriptors; the checks would only cost time.
        direct.setEnforceImmutability(false);
        direct.setEnforceEncodability(false);
      }
      case FLINK -> {
        options.setRunner(FlinkRunner.class);
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        flink.setParallelism(parallelism);
        flink.setFlinkMaster(flinkMaster == null ? "[local]" : flinkMaster);
        // No defensive deep copy of every element between chained operators: Specus's DoFns never
        // modify their inputs, as Beam's model requires.
        flink.setFasterCopy(true);
        if (flinkMaster != null) {
          // Ship only the slim job jar: Beam would otherwise upload the whole client classpath
          // (Flink itself included) with every submission.
          flink.setFilesToStage(java.util.List.of(jobJar.toString()));
        }
        // Restarts after a failure follow the cluster's restart strategy (see
        // runners-config/flink/config.yaml); Beam ignores numberOfExecutionRetries for batch jobs.
      }
    }
    return options;
  }

  /**
   * Runs {@code pipeline} to the end. A Flink job that fails is reported as a
   * {@link JobFailedException} carrying the cluster's reason (the exception of the last attempt).
   */
  public PipelineResult.State execute(Pipeline pipeline) {
    return runToEnd(pipeline).getState();
  }

  /** Runs the pipeline to its end; a failed Flink job comes back with the cluster's reason. */
  public PipelineResult runToEnd(Pipeline pipeline) {
    try {
      PipelineResult result = pipeline.run();
      result.waitUntilFinish();
      return result;
    } catch (RuntimeException e) {
      if (kind == Kind.DIRECT) {
        throw e;
      }
      throw JobFailedException.fromFlink(describe(), e);
    }
  }

  private static int checkParallelism(Integer requested, int fallback) {
    int n = requested != null ? requested : fallback;
    if (n < 1) {
      throw new IllegalArgumentException("--parallelism must be at least 1, got " + n);
    }
    return n;
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
