package org.specus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.TestRecordings;
import org.specus.pipeline.SpecusJvm;

/**
 * Tiles longer than the heap was sized for: the run ends with one line that says which options
 * set the memory, and leaves no output that claims to be complete.
 */
class OutOfMemoryTest {
  @Test
  void tilesThatDoNotFitInTheHeapAreExplained(@TempDir Path tmp) throws Exception {
    Path bin = TestRecordings.synth(tmp, "big-tiles", 4, 384, 3);
    Path out = tmp.resolve("big-tiles.zarr");
    Path stdout = tmp.resolve("stdout.log");
    Path stderr = tmp.resolve("stderr.log");
    // One 4 s tile of 384 channels: its worker's two arrays take ~370 MB, more than a 256 MiB heap.
    List<String> command = SpecusJvm.command(List.of("-Xmx256m"),
        "preprocess", bin.toString(), "-o", out.toString(), "--tile", "4s");
    Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child run did not end within 5 minutes");
    String err = Files.readString(stderr).strip();
    assertEquals(1, p.exitValue(), err);
    assertFalse(err.contains("\n"), "one line: " + err);
    assertTrue(err.startsWith("specus: error: out of memory: the 256 MiB Java heap cannot hold"), err);
    for (String option : new String[] {"--tile", "--parallelism", "SPECUS_JAVA_OPTS"}) {
      assertTrue(err.contains(option), "should name " + option + ": " + err);
    }
    assertFalse(OutputStore.isComplete(out), "an output the run could not finish must not look complete");
  }
}
