package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.specus.batch.BatchFixtures.assertSameOutput;
import static org.specus.batch.BatchFixtures.batch;
import static org.specus.batch.BatchFixtures.readJson;
import static org.specus.batch.BatchFixtures.rows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.output.OutputLock;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.TestRecordings;

/**
 * A batch interrupted in the middle of a recording computes only the missing or damaged shards
 * when it runs again, and ends with the bytes an uninterrupted run writes.
 */
class BatchResumeTest {
  @TempDir Path tmp;

  @Test
  void aResumedOutputKeepsIntactShardsRecomputesTheRestAndIsByteIdentical() throws Exception {
    Path root = tmp.resolve("raw");
    TestRecordings.synth(Files.createDirectories(root.resolve("m1")), "r", 3, 32, 11);
    String[] common = {"--root", root.toString(), "--tile", "250ms", "--parallelism", "2", "--progress-every", "1h"};
    Path reference = tmp.resolve("reference");
    assertEquals(0, batch(concat(common, "--out", reference.toString())).code());
    Path out = tmp.resolve("out");
    assertEquals(0, batch(concat(common, "--out", out.toString())).code());
    Path output = out.resolve("m1/r_g0_t0.imec0.ap.zarr");

    // What a crash leaves: the claim of a run in progress, no metadata, some shards missing, a
    // temporary file of the shard being written, and (as after a disk fault) a damaged shard.
    OutputStore.prepare(output, OutputStore.inspect(output).key());
    Files.delete(output.resolve("zarr.json"));
    Files.delete(output.resolve("traces_seg0/zarr.json"));
    for (int missing : new int[] {2, 5, 9}) {
      Files.delete(output.resolve("traces_seg0/c/" + missing + "/0"));
    }
    Path damaged = output.resolve("traces_seg0/c/7/0");
    byte[] bytes = Files.readAllBytes(damaged);
    Files.write(damaged, Arrays.copyOf(bytes, bytes.length - 1));
    Files.write(output.resolve("traces_seg0/c/5/.0.tmp-crashed"), new byte[100]);
    assertEquals(OutputStore.State.IN_PROGRESS, OutputStore.inspect(output).state());

    BatchFixtures.Run dry = batch(concat(common, "--out", out.toString(), "--dry-run"));
    assertTrue(dry.out().contains("resume   m1/r_g0_t0.imec0.ap.bin (3.0 s, 32 ch): interrupted run of the same result,"
        + " 9 of 12 shards written"), dry.out());
    Path report = tmp.resolve("resume.json");
    BatchFixtures.Run resumed = batch(concat(common, "--out", out.toString(), "--report", report.toString()));
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    Map<String, Object> row = rows(readJson(report)).get("m1/r_g0_t0.imec0.ap.bin");
    assertEquals("done", row.get("status"));
    assertEquals("resume", row.get("action"));
    assertEquals(12, row.get("tiles_total"));
    assertEquals(4, row.get("tiles_computed"), "3 missing + 1 damaged: " + row);
    assertEquals(8, row.get("tiles_reused"), row.toString());
    assertSameOutput(reference.resolve("m1/r_g0_t0.imec0.ap.zarr"), output);
  }

  @Test
  void aBatchKilledInTheMiddleOfARecordingResumesWhereItStopped() throws Exception {
    Path root = tmp.resolve("raw");
    TestRecordings.synth(Files.createDirectories(root.resolve("a")), "small", 1, 32, 21);
    TestRecordings.synth(Files.createDirectories(root.resolve("b")), "big", 8, 128, 22);
    String big = "b/big_g0_t0.imec0.ap.bin";
    Path out = tmp.resolve("out");
    Path bigOutput = out.resolve("b/big_g0_t0.imec0.ap.zarr");
    String[] common = {"--root", root.toString(), "--tile", "250ms", "--parallelism", "1", "--progress-every", "1h"};

    Path log = tmp.resolve("child.log");
    Process child = BatchFixtures.batchProcess(log, concat(common, "--out", out.toString()));
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (BatchPlanner.shardsPresent(bigOutput) < 3 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(child.isAlive(), "the batch ended before it could be killed:\n" + Files.readString(log));
      assertTrue(BatchPlanner.shardsPresent(bigOutput) >= 3, "no shard appeared within 5 minutes");
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
      child.waitFor();
    }
    assertFalse(OutputStore.isComplete(bigOutput), "a killed run must not look complete");
    assertEquals(child.pid(), OutputLock.readHolder(OutputLock.lockFile(bigOutput)).pid(),
        "the killed run's lock is left behind");
    long written = BatchPlanner.shardsPresent(bigOutput);

    Path report = tmp.resolve("resume.json");
    BatchFixtures.Run resumed = batch(concat(common, "--out", out.toString(), "--report", report.toString()));
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    Map<String, Map<String, Object>> rows = rows(readJson(report));
    assertEquals("skipped-up-to-date", rows.get("a/small_g0_t0.imec0.ap.bin").get("status"),
        "the recording finished before the kill is not redone");
    Map<String, Object> row = rows.get(big);
    assertEquals("done", row.get("status"), row.toString());
    assertEquals("resume", row.get("action"));
    assertEquals(32, row.get("tiles_total"));
    assertEquals(written, ((Number) row.get("tiles_reused")).longValue(), "every shard of the killed run is kept: " + row);
    assertEquals(32 - written, ((Number) row.get("tiles_computed")).longValue(), row.toString());
    assertTrue(((String) row.get("note")).contains("took over the stale lock of pid " + child.pid()), row.toString());
    try (Stream<Path> files = Files.walk(bigOutput)) {
      assertEquals(List.of(), files.map(Path::toString).filter(f -> f.contains(".tmp")).toList(),
          "no temporary file may remain");
    }

    // The same batch, never interrupted, into another place: the same bytes.
    Path reference = tmp.resolve("reference");
    assertEquals(0, batch(concat(common, "--out", reference.toString(), "--include", "b/**")).code());
    assertSameOutput(reference.resolve("b/big_g0_t0.imec0.ap.zarr"), bigOutput);
  }

  static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
