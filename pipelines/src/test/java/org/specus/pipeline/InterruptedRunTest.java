package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.output.OutputStore;

/** A run that fails or is killed never leaves an output that claims to be complete. */
class InterruptedRunTest {
  @TempDir Path tmp;

  @Test
  void aRunThatFailsLeavesNoCompletionClaim() throws Exception {
    Path bin = TestRecordings.synth(tmp, "failing", 3, 32, 5);
    Path out = tmp.resolve("failing.zarr");
    PreprocessJob job = new PreprocessJob(bin, out, PreprocessConfig.defaults(), 2);
    PreprocessJob.Plan plan = job.build();
    // The recording grows after the plan was made, as when acquisition is still writing: workers
    // must refuse to process a file that is not the one the pipeline was planned for.
    Files.write(bin, new byte[66], StandardOpenOption.APPEND);
    Exception e = assertThrows(Exception.class, () -> job.run(plan));
    assertTrue(String.valueOf(rootMessage(e)).contains("changed"), rootMessage(e));
    assertFalse(OutputStore.isComplete(out));
    assertFalse(Files.exists(out.resolve("zarr.json")), "no root metadata before the commit");
  }

  @Test
  void aKilledRunLeavesNoCompletionClaimAndARerunCompletes() throws Exception {
    Path bin = TestRecordings.synth(tmp, "killed", 20, 384, 6);
    Path out = tmp.resolve("killed.zarr");
    List<String> command = SpecusJvm.command(List.of("-Xmx640m"),
        "preprocess", bin.toString(), "-o", out.toString(), "--parallelism", "1");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (shards(out) < 2 && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(p.isAlive(), "the run ended before it could be killed:\n" + Files.readString(tmp.resolve("child.log")));
      assertTrue(shards(out) >= 2, "no shard appeared within 5 minutes");
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hooks, as in a crash
      p.waitFor();
    }
    assertFalse(OutputStore.isComplete(out), "a killed run must not look complete");
    assertFalse(Files.exists(out.resolve("zarr.json")));
    assertTrue(Files.exists(out.resolve(OutputStore.IN_PROGRESS)));

    PreprocessJob job = new PreprocessJob(bin, out, PreprocessConfig.defaults(), 2);
    job.run(job.build());
    assertTrue(OutputStore.isComplete(out));
    assertEquals(20, shards(out));
    try (Stream<Path> files = Files.walk(out)) {
      assertEquals(List.of(), files.map(Path::toString).filter(f -> f.contains(".tmp")).toList(),
          "no temporary file may remain");
    }
  }

  static long shards(Path out) throws Exception {
    Path c = out.resolve("traces_seg0").resolve("c");
    if (!Files.isDirectory(c)) {
      return 0;
    }
    try (Stream<Path> dirs = Files.list(c)) {
      return dirs.filter(d -> Files.exists(d.resolve("0"))).count();
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() + " (" + t.getClass().getSimpleName() + ")" + File.separator;
  }
}
