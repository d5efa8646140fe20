package org.specus.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.cli.Main;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.PreprocessJob;
import org.specus.pipeline.RunnerSettings;
import org.specus.pipeline.TestRecordings;

/** {@code --runner flink} without a master runs on Flink's embedded MiniCluster and writes the DirectRunner's bytes. */
class FlinkEmbeddedTest {
  @TempDir Path tmp;

  @Test
  void theMiniClusterWritesTheDirectRunnersBytes() throws Exception {
    Path bin = TestRecordings.synth(tmp, "mini", 8, 32, 21);
    Path direct = tmp.resolve("direct.zarr");
    PreprocessConfig config = PreprocessConfig.defaults().toBuilder().tileSeconds(0.5).build();
    PreprocessJob job = new PreprocessJob(bin, direct, config, RunnerSettings.direct(2));
    assertEquals(PipelineResult.State.DONE, job.run(job.build()));

    Path mini = tmp.resolve("mini.zarr");
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(err, true), "preprocess", bin.toString(), "-o", mini.toString(),
        "--tile", "0.5s", "--runner", "flink", "--parallelism", "2");
    assertEquals(0, code, "stderr: " + err);
    assertEquals(16, StoreComparison.shards(mini));
    StoreComparison.assertSameBytes(direct, mini);
  }
}
