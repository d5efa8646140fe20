package org.specus.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.cli.Main;
import org.specus.pipeline.TestRecordings;

/** The Flink options of {@code specus preprocess}: mistakes are one-line errors, before the output is touched. */
class FlinkCommandLineTest {
  @TempDir static Path tmp;
  static Path bin;

  @BeforeAll
  static void recording() throws Exception {
    bin = TestRecordings.synth(tmp, "opts", 1, 8, 1);
  }

  static void assertOneLineError(Path out, String... mustContain) {
    StringWriter err = new StringWriter();
    String[] base = {"preprocess", bin.toString(), "-o", out.toString()};
    String[] args = new String[base.length + mustContain.length - 1];
    System.arraycopy(base, 0, args, 0, base.length);
    // The last element of mustContain is the message fragment; the rest are arguments.
    System.arraycopy(mustContain, 0, args, base.length, mustContain.length - 1);
    int code = Main.execute(new PrintWriter(err, true), args);
    String line = err.toString().strip();
    assertEquals(2, code, "exit code; stderr: " + line);
    assertFalse(line.contains("\n"), "one line: " + line);
    assertTrue(line.startsWith("specus: error: "), line);
    assertTrue(line.contains(mustContain[mustContain.length - 1]), line);
    assertFalse(Files.exists(out), "the output must not be created");
  }

  @Test
  void aMasterNeedsTheFlinkRunner() {
    assertOneLineError(tmp.resolve("a.zarr"), "--flink-master", "localhost:8081", "--flink-master needs --runner flink");
  }

  @Test
  void anUnknownRunnerIsNamed() {
    assertOneLineError(tmp.resolve("b.zarr"), "--runner", "spark", "--runner must be direct or flink, got 'spark'");
  }

  @Test
  void aMalformedMasterIsNamed() {
    assertOneLineError(tmp.resolve("c.zarr"), "--runner", "flink", "--flink-master", "localhost", "expects HOST:PORT");
  }

  @Test
  void aMasterThatDoesNotAnswerIsReportedBeforeAnythingRuns() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free now, and closed: nobody answers there
    }
    assertOneLineError(tmp.resolve("d.zarr"), "--runner", "flink", "--flink-master", "127.0.0.1:" + port,
        "no Flink JobManager answers there");
  }
}
