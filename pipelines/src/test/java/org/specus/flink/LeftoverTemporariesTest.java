package org.specus.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.PreprocessJob;
import org.specus.pipeline.RunnerSettings;
import org.specus.pipeline.TestHooks;
import org.specus.pipeline.TestRecordings;

/**
 * A task attempt killed while writing a shard (a TaskManager that died) leaves its temporary file
 * behind, and the retried attempt writes the shard under another temporary name. The commit must
 * not declare the output complete with such debris in it: it removes it first.
 */
class LeftoverTemporariesTest {
  @TempDir Path tmp;

  @Test
  void theCommitRemovesWhatAKilledAttemptLeftBehind() throws Exception {
    Path bin = TestRecordings.synth(tmp, "debris", 3, 16, 31);
    Path out = tmp.resolve("debris.zarr");
    PreprocessConfig config = PreprocessConfig.defaults().toBuilder().tileSeconds(0.5).build();
    RunnerSettings direct;
    System.setProperty(TestHooks.TILE_DELAY_PROPERTY, "300"); // time to plant the debris mid-run
    try {
      direct = RunnerSettings.direct(1);
    } finally {
      System.clearProperty(TestHooks.TILE_DELAY_PROPERTY);
    }
    PreprocessJob job = new PreprocessJob(bin, out, config, direct);
    PreprocessJob.Plan plan = job.build();
    CompletableFuture<PipelineResult.State> run = CompletableFuture.supplyAsync(() -> job.run(plan));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (StoreComparison.shards(out) < 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(run.isDone(), "the run ended before the debris could be planted");
    // What ShardWriter leaves when its process dies between opening and renaming a shard.
    Path debris = out.resolve("traces_seg0/c/4/.0.tmp-5f0c6a0e-killed-attempt");
    Files.createDirectories(debris.getParent());
    Files.write(debris, new byte[1234]);

    assertEquals(PipelineResult.State.DONE, run.get(2, TimeUnit.MINUTES));
    assertTrue(OutputStore.isComplete(out));
    assertEquals(6, StoreComparison.shards(out));
    assertEquals(List.of(), StoreComparison.temporaryFiles(out));
  }
}
