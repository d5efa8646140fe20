package org.specus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.TestRecordings;
import org.specus.pipeline.SpecusJvm;

/**
 * The summary's wall time is what the person waited for: as the process's {@code main}, from the
 * JVM's start, split into the start-up before the pipeline and the pipeline itself.
 */
class WallTimeTest {
  @TempDir static Path tmp;
  static Path bin;

  static final Pattern WALL = Pattern.compile(
      "wall time +([0-9.]+) s \\(([0-9.]+)x real time\\): start-up ([0-9.]+) s, pipeline ([0-9.]+) s \\(([0-9.]+)x\\)");

  @BeforeAll
  static void recording() throws Exception {
    bin = TestRecordings.synth(tmp, "wall", 2, 32, 1);
  }

  /** wall, x real time, start-up, pipeline, pipeline's x real time, from the summary of a 2 s recording. */
  static double[] figures(String summary) {
    return figures(summary, 2);
  }

  static double[] figures(String summary, double recordingSeconds) {
    Matcher m = WALL.matcher(summary);
    assertTrue(m.find(), "no wall time line in:\n" + summary);
    double[] f = new double[5];
    for (int i = 0; i < 5; i++) {
      f[i] = Double.parseDouble(m.group(i + 1));
    }
    // Each figure is rounded on its own: the parts add up to the whole within the roundings, and
    // each speed is the 2 s recording over a time that rounds to the figure shown.
    assertEquals(f[0], f[2] + f[3], 0.15, summary);
    assertSpeed(recordingSeconds, f[1], f[0], summary);
    assertSpeed(recordingSeconds, f[4], f[3], summary);
    return f;
  }

  /** The speed (2 decimals) and the time (0.1 s) can come from one unrounded time. */
  static void assertSpeed(double recordingSeconds, double timesRealTime, double roundedSeconds, String summary) {
    double shortest = recordingSeconds / (timesRealTime + 0.005);
    double longest = timesRealTime > 0.005 ? recordingSeconds / (timesRealTime - 0.005) : Double.POSITIVE_INFINITY;
    assertTrue(shortest <= roundedSeconds + 0.05 && longest >= roundedSeconds - 0.05,
        timesRealTime + "x real time is not " + recordingSeconds + " s over " + roundedSeconds + " s:\n" + summary);
  }

  @Test
  void inProcessTheClockStartsWithTheCommand() {
    CommandLineTest.Result r = CommandLineTest.run("preprocess", bin.toString(), "-o", tmp.resolve("in.zarr").toString());
    assertEquals(0, r.code(), r.err());
    double[] f = figures(r.out());
    assertTrue(f[2] < 30, "an in-process command must not count the test JVM's life: " + r.out());
  }

  @Test
  void theDemoLeavesItsSynthesisOut() {
    Path dir = tmp.resolve("demo");
    long t0 = System.nanoTime();
    CommandLineTest.Result first = CommandLineTest.run("demo", "--dir", dir.toString(), "--duration", "8s");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, first.code(), first.err());
    assertTrue(OutputStore.isComplete(dir.resolve("demo8s_g0_t0.zarr")), first.out());
    Matcher m = Pattern.compile("synthesized in ([0-9.]+) s").matcher(first.out());
    assertTrue(m.find(), first.out());
    double synthesis = Double.parseDouble(m.group(1));
    double wall = figures(first.out(), 8)[0];
    // Both are parts of what this test timed; with the synthesis counted twice, the sum would exceed it.
    assertTrue(synthesis > 0.15, "too short a synthesis to tell: " + first.out());
    assertTrue(wall + synthesis <= seconds + 0.1, wall + " s + " + synthesis + " s > " + seconds + " s:\n" + first.out());

    CommandLineTest.Result again = CommandLineTest.run("demo", "--dir", dir.toString(), "--duration", "8s");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("reusing") && !again.out().contains("synthesized in"), again.out());
    figures(again.out(), 8);
  }

  @Test
  void asTheProcessTheClockStartsWithTheJvm() throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), SlowStartAgent.class.getName());
    Path agent = tmp.resolve("slow-start.jar");
    try (OutputStream o = Files.newOutputStream(agent); JarOutputStream jar = new JarOutputStream(o, manifest)) {
      // the manifest is all it needs: the agent class is on the class path
    }
    long heldMillis = 3000;
    Path log = tmp.resolve("child.log");
    List<String> command = SpecusJvm.command(List.of("-javaagent:" + agent + "=" + heldMillis, "-Xmx640m"),
        "preprocess", bin.toString(), "-o", tmp.resolve("child.zarr").toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child run did not end within 5 minutes");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    double[] f = figures(out);
    assertTrue(f[2] >= heldMillis / 1e3, "the start-up must include the JVM's " + heldMillis + " ms before main:\n" + out);
  }
}
