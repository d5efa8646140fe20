package org.specus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness's Python unit tests: {@code bench/test_targets.py} (the verdict a harness report
 * opens with, which runs meet issue 6's targets) and {@code bench/test_harness.py} (how a run's
 * timeline is split into phases; a rebuild is kept out of the timed runs) and {@code bench/test_diskstats.py}
 * (what the disk did during each run, and a miss named with it). A wrong verdict, phase or disk
 * figure would be read as a measured fact.
 * Plain {@code python3}, no third-party modules.
 */
class HarnessPythonTest {
  @Test
  void harnessUnitTestsPass() throws Exception {
    Path bench = Path.of(System.getProperty("specus.root", "..")).resolve("bench");
    assertTrue(Files.isRegularFile(bench.resolve("test_targets.py")), "no test_targets.py in " + bench);
    // -B: no __pycache__ left in the source tree
    Process p = new ProcessBuilder("python3", "-B", "-m", "unittest", "-v", "test_targets", "test_harness",
        "test_diskstats").directory(bench.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python3 -m unittest did not finish:\n" + out);
    assertEquals(0, p.exitValue(), "the harness's unit tests failed:\n" + out);
    assertTrue(out.contains("Ran 13 tests"), "expected the harness's 13 unit tests to run:\n" + out);
  }
}
