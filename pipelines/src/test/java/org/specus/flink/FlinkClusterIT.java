package org.specus.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.specus.cli.Main;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.FlinkCluster;
import org.specus.pipeline.JobFailedException;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.PreprocessJob;
import org.specus.pipeline.RunnerSettings;
import org.specus.pipeline.TestHooks;
import org.specus.pipeline.TestRecordings;

/**
 * The same pipeline on a real Flink session cluster (a JobManager and two TaskManagers, separate
 * JVMs started by runners-config/flink/start-cluster.sh, 2 slots each): the output is the
 * DirectRunner's, byte for byte; a failing job reports the cluster's reason; and the job survives
 * the SIGKILL of a busy TaskManager. The recording is small (64 channels, 10 s, 20 tiles of 0.5 s)
 * so the class takes a few minutes on two cores.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TILES = 20;
  // Parallelism 2 on 2 x 2 slots: after losing one TaskManager the job still fits in the slots left.
  private static final int PARALLELISM = 2;

  @TempDir static Path tmp;
  static FlinkTestCluster cluster;
  static Path bin;
  static Path direct;

  @BeforeAll
  static void startClusterAndReference() throws Exception {
    bin = TestRecordings.synth(tmp, "flink", 10, 64, 11);
    direct = tmp.resolve("direct.zarr");
    PreprocessJob job = new PreprocessJob(bin, direct, config(), RunnerSettings.direct(PARALLELISM));
    assertEquals(PipelineResult.State.DONE, job.run(job.build()));
    cluster = FlinkTestCluster.start(tmp.resolve("cluster"), 2);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  static PreprocessConfig config() {
    return PreprocessConfig.defaults().toBuilder().tileSeconds(0.5).build();
  }

  @Test
  @Order(1)
  void theCommandLineOnAClusterWritesTheDirectRunnersBytes() throws Exception {
    Path out = tmp.resolve("cluster.zarr");
    StringWriter err = new StringWriter();
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      code = Main.execute(new PrintWriter(err, true), "preprocess", bin.toString(), "-o", out.toString(),
          "--tile", "0.5s", "--runner", "flink", "--flink-master", cluster.restAddress(),
          "--parallelism", String.valueOf(PARALLELISM));
    } finally {
      System.setOut(stdout);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, "exit code; stderr: " + err + "\nstdout: " + printed);
    assertTrue(printed.contains("Flink cluster at " + cluster.restAddress()), printed);
    assertEquals(TILES, StoreComparison.shards(out));
    StoreComparison.assertSameBytes(direct, out);
    JsonNode overview = rest("/jobs/overview");
    assertEquals(1, count(overview, "FINISHED"), overview.toString());
  }

  @Test
  @Order(2)
  void aJobThatFailsOnTheClusterEndsWithTheClustersReason() throws Exception {
    Path changing = tmp.resolve("changing");
    Files.createDirectories(changing);
    Path copy = TestRecordings.synth(changing, "changing", 3, 32, 12);
    Path out = tmp.resolve("failing.zarr");
    RunnerSettings flink = RunnerSettings.flinkCluster(cluster.restAddress(), PARALLELISM);
    PreprocessJob job = new PreprocessJob(copy, out, config(), flink);
    PreprocessJob.Plan plan = job.build();
    // The recording grows by one sample (32 channels + sync, int16) after planning, as when acquisition
    // is still writing: every worker must refuse it, and the client must say why.
    Files.write(copy, new byte[66], StandardOpenOption.APPEND);
    JobFailedException e = assertThrows(JobFailedException.class, () -> job.run(plan));
    assertTrue(e.getMessage().startsWith("the Flink job failed"), e.getMessage());
    assertTrue(e.getMessage().contains("changed"), "the worker's reason must reach the client: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertFalse(OutputStore.isComplete(out));
    FlinkCluster.Job state = FlinkCluster.at(cluster.restAddress()).job(flink.jobName()).orElseThrow();
    assertEquals("FAILED", state.state());
  }

  @Test
  @Order(3)
  void aJobSurvivesTheLossOfABusyTaskManager() throws Exception {
    Path out = tmp.resolve("killed.zarr");
    RunnerSettings flink;
    System.setProperty(TestHooks.TILE_DELAY_PROPERTY, "1000"); // each tile waits 1 s before its shard is written
    try {
      flink = RunnerSettings.flinkCluster(cluster.restAddress(), PARALLELISM);
    } finally {
      System.clearProperty(TestHooks.TILE_DELAY_PROPERTY);
    }
    PreprocessJob job = new PreprocessJob(bin, out, config(), flink);
    PreprocessJob.Plan plan = job.build();
    CompletableFuture<PipelineResult.State> run = CompletableFuture.supplyAsync(() -> job.run(plan));

    FlinkCluster rest = FlinkCluster.at(cluster.restAddress());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (StoreComparison.shards(out) < 4 && !run.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertFalse(run.isDone(), "the job ended before a TaskManager could be killed");
    long written = StoreComparison.shards(out);
    assertTrue(written >= 4 && written < TILES, "shards written before the kill: " + written);
    String busy = busyTaskManager();
    long pid = cluster.pids().get(busy);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
    String jobId = rest.job(flink.jobName()).orElseThrow().id();

    assertEquals(PipelineResult.State.DONE, run.get(5, TimeUnit.MINUTES));
    assertEquals("FINISHED", rest.job(flink.jobName()).orElseThrow().state());
    // The failures the loss caused, each recovered by a restart of the failed region (a FINISHED
    // job with a non-empty history). Flink's numRestarts metric is cached for 10 s, too coarse here.
    JsonNode failures = rest("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
    assertTrue(failures.size() >= 1, "the loss of " + busy + " should be in the job's exception history");
    for (JsonNode f : failures) {
      System.out.printf("recovered failure on %s: %s%n", f.path("taskManagerId").asText(), f.path("exceptionName").asText());
    }
    assertEquals(TILES, StoreComparison.shards(out));
    assertEquals(List.of(), StoreComparison.temporaryFiles(out), "no temporary file may remain");
    StoreComparison.assertSameBytes(direct, out);
  }

  /** A TaskManager with a slot in use; start-cluster.sh names them taskmanager-N, as in its PID list. */
  static String busyTaskManager() throws Exception {
    for (JsonNode tm : rest("/taskmanagers").path("taskmanagers")) {
      if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()) {
        return tm.path("id").asText();
      }
    }
    throw new AssertionError("no TaskManager is busy: " + rest("/taskmanagers"));
  }

  static long count(JsonNode overview, String state) {
    long n = 0;
    for (JsonNode j : overview.path("jobs")) {
      if (j.path("state").asText().equals(state)) {
        n++;
      }
    }
    return n;
  }

  static JsonNode rest(String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + cluster.restAddress() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }
}
