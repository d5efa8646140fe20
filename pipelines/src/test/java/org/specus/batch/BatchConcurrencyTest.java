package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.specus.batch.BatchFixtures.readJson;
import static org.specus.batch.BatchFixtures.rows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.output.OutputLock;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.Outputs;
import org.specus.pipeline.TestRecordings;

/** Two batches on the same root at the same time share the work: each recording is processed once. */
class BatchConcurrencyTest {
  @TempDir Path tmp;

  @Test
  void twoBatchesAtOnceProcessEachRecordingExactlyOnceAndLeaveValidOutputs() throws Exception {
    Path root = tmp.resolve("raw");
    List<String> names = List.of("p", "q", "r", "s");
    for (int i = 0; i < names.size(); i++) {
      TestRecordings.synth(Files.createDirectories(root.resolve("m" + i)), names.get(i), 3, 96, 30 + i);
    }
    Path out = tmp.resolve("out");
    String[] common = {"--root", root.toString(), "--out", out.toString(), "--tile", "250ms", "--parallelism", "1",
        "--progress-every", "1h"};
    Process first = BatchFixtures.batchProcess(tmp.resolve("first.log"),
        BatchResumeTest.concat(common, "--report", tmp.resolve("first.json").toString()));
    // The second starts once the first holds its first recording, so that they do overlap.
    Path firstLock = OutputLock.lockFile(out.resolve("m0/p_g0_t0.imec0.ap.zarr"));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (OutputLock.readHolder(firstLock) == null && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Process second = BatchFixtures.batchProcess(tmp.resolve("second.log"),
        BatchResumeTest.concat(common, "--report", tmp.resolve("second.json").toString()));
    try {
      assertTrue(first.waitFor(10, TimeUnit.MINUTES) && second.waitFor(10, TimeUnit.MINUTES), "both batches end");
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
    }
    assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("first.log")));
    assertEquals(0, second.exitValue(), Files.readString(tmp.resolve("second.log")));

    Map<String, Map<String, Object>> a = rows(readJson(tmp.resolve("first.json")));
    Map<String, Map<String, Object>> b = rows(readJson(tmp.resolve("second.json")));
    long computed = 0;
    for (int i = 0; i < names.size(); i++) {
      String input = "m" + i + "/" + names.get(i) + "_g0_t0.imec0.ap.bin";
      String sa = (String) a.get(input).get("status");
      String sb = (String) b.get(input).get("status");
      assertEquals(1, (sa.equals("done") ? 1 : 0) + (sb.equals("done") ? 1 : 0),
          input + " must be processed by exactly one batch: " + sa + " / " + sb);
      String other = sa.equals("done") ? sb : sa;
      assertTrue(Set.of("skipped-up-to-date", "skipped-busy").contains(other), input + ": " + other);
      computed += ((Number) a.get(input).get("tiles_computed")).longValue()
          + ((Number) b.get(input).get("tiles_computed")).longValue();
      Path output = out.resolve("m" + i + "/" + names.get(i) + "_g0_t0.imec0.ap.zarr");
      assertTrue(OutputStore.isComplete(output), input);
      assertEquals(12, Outputs.tracesShape(output)[0] / 7500, input);
      Outputs.traces(output); // every shard decodes and every crc matches
      try (Stream<Path> files = Files.walk(output)) {
        assertEquals(List.of(), files.map(Path::toString).filter(f -> f.contains(".tmp")).toList());
      }
    }
    assertEquals(4 * 12, computed, "no tile was computed twice");
    String firstOnP = (String) a.get("m0/p_g0_t0.imec0.ap.bin").get("status");
    assertEquals("done", firstOnP, "the first batch held p when the second started");
  }
}
