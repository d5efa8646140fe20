package org.specus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.TestRecordings;

/** The command line as a person uses it: exit codes and one-line errors that name the culprit. */
class CommandLineTest {
  @TempDir static Path tmp;
  static Path bin;

  @BeforeAll
  static void recording() throws Exception {
    bin = TestRecordings.synth(tmp, "cli", 2, 32, 1);
  }

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter err = new StringWriter();
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(new PrintWriter(err, true), args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  static void assertOneLineError(Result r, String... mustContain) {
    assertEquals(2, r.code(), "exit code; stderr: " + r.err());
    String line = r.err().strip();
    assertFalse(line.contains("\n"), "error must be one line: " + line);
    assertTrue(line.startsWith("specus: error: "), line);
    for (String s : mustContain) {
      assertTrue(line.contains(s), "error should mention '" + s + "': " + line);
    }
  }

  /** A copy of the test recording, with its .meta, under a new name, to break on purpose. */
  static Path copy(String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Path b = dir.resolve(name + "_g0_t0.imec0.ap.bin");
    Files.copy(bin, b, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(meta(bin), meta(b), StandardCopyOption.REPLACE_EXISTING);
    return b;
  }

  static Path meta(Path b) {
    return b.resolveSibling(b.getFileName().toString().replace(".bin", ".meta"));
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"demo", "synth", "info", "preprocess"}) {
      Result r = run(command, "--help");
      assertEquals(0, r.code(), command);
      assertTrue(r.out().contains("Usage: specus " + command), r.out());
    }
    assertEquals(0, run("--help").code());
  }

  @Test
  void infoSaysWhatTheReaderUnderstood() {
    Result r = run("info", bin.toString());
    assertEquals(0, r.code(), r.err());
    for (String s : new String[] {"NP1.0", "32", "30000", "2.34375", "sync"}) {
      assertTrue(r.out().contains(s), "info should show " + s + ":\n" + r.out());
    }
  }

  @Test
  void missingMeta() throws Exception {
    Path b = copy("nometa");
    Files.delete(meta(b));
    assertOneLineError(run("preprocess", b.toString(), "-o", tmp.resolve("nometa.zarr").toString()), "nometa_g0_t0.imec0.ap.meta");
  }

  @Test
  void binThatIsNotAWholeNumberOfSamples() throws Exception {
    Path b = copy("oddsize");
    Files.write(b, new byte[] {1}, StandardOpenOption.APPEND);
    assertOneLineError(run("preprocess", b.toString(), "-o", tmp.resolve("oddsize.zarr").toString()),
        "oddsize_g0_t0.imec0.ap.bin", "whole number of samples");
  }

  @Test
  void metaWithoutSamplingRate() throws Exception {
    Path b = copy("norate");
    String text = Files.readString(meta(b)).replaceAll("(?m)^imSampRate=.*\\R", "");
    Files.writeString(meta(b), text);
    assertOneLineError(run("preprocess", b.toString(), "-o", tmp.resolve("norate.zarr").toString()), "imSampRate");
  }

  @Test
  void anEmptyRecording() throws Exception {
    Path b = copy("empty");
    Files.write(b, new byte[0]);
    assertOneLineError(run("preprocess", b.toString(), "-o", tmp.resolve("empty.zarr").toString()),
        "empty_g0_t0.imec0.ap.bin", "no samples");
  }

  @Test
  void cutoffAtOrAboveNyquist() {
    Path out = tmp.resolve("nyquist.zarr");
    assertOneLineError(run("preprocess", bin.toString(), "-o", out.toString(), "--bandpass", "300,15000"), "Nyquist");
    assertFalse(Files.exists(out), "nothing may be written when the configuration is invalid");
  }

  @Test
  void badOptionValues() {
    Path out = tmp.resolve("bad.zarr");
    assertOneLineError(run("preprocess", bin.toString(), "-o", out.toString(), "--cmr", "mean"), "--cmr");
    assertOneLineError(run("preprocess", bin.toString(), "-o", out.toString(), "--tile", "soon"), "--tile");
    assertOneLineError(run("preprocess", bin.toString(), "-o", out.toString(), "--bandpass", "300"), "--bandpass");
  }

  @Test
  void compressionOption() throws Exception {
    Path out = tmp.resolve("zstd.zarr");
    Result r = run("preprocess", bin.toString(), "-o", out.toString(), "--tile", "500ms", "--compression", "zstd");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(out.resolve("traces_seg0/zarr.json")).contains("\"name\" : \"zstd\""),
        "--compression zstd on float32 output");
    Path bad = tmp.resolve("bad-compression.zarr");
    assertOneLineError(run("preprocess", bin.toString(), "-o", bad.toString(), "--compression", "lz4"),
        "compression must be one of auto, zstd, none, got 'lz4'");
    assertFalse(Files.exists(bad), "nothing may be written when the configuration is invalid");
  }

  @Test
  void anOutputHoldingADifferentResultIsRefused() {
    Path out = tmp.resolve("taken.zarr");
    Result first = run("preprocess", bin.toString(), "-o", out.toString());
    assertEquals(0, first.code(), first.err());
    assertTrue(OutputStore.isComplete(out));
    assertOneLineError(run("preprocess", bin.toString(), "-o", out.toString(), "--cmr", "average"),
        "taken.zarr", "different result");
    assertTrue(OutputStore.isComplete(out), "the refused run must leave the existing result alone");
    Result same = run("preprocess", bin.toString(), "-o", out.toString());
    assertEquals(0, same.code(), "the same configuration may be rerun in place: " + same.err());
    assertTrue(same.out().contains("shards of the finished result already there (checked intact), 0 computed"),
        same.out());
    assertFalse(same.out().contains("interrupted"), "the result was finished, not interrupted:\n" + same.out());
  }

  @Test
  void aResumedRunSaysWhatItKept() throws Exception {
    Path out = tmp.resolve("interrupted.zarr");
    Result first = run("preprocess", bin.toString(), "-o", out.toString(), "--tile", "500ms");
    assertEquals(0, first.code(), first.err());
    // What a run killed after its last shard but before its completion marker leaves behind.
    Files.move(out.resolve(OutputStore.COMPLETE), out.resolve(OutputStore.IN_PROGRESS));
    Files.delete(out.resolve("traces_seg0/c/1/0"));
    Result resumed = run("preprocess", bin.toString(), "-o", out.toString(), "--tile", "500ms");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("resumed      3 shards kept from an interrupted run, 1 computed"), resumed.out());
    assertTrue(OutputStore.isComplete(out));
  }

  @Test
  void anUnwritableOutputDirectory() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertOneLineError(run("preprocess", bin.toString(), "-o", file.resolve("out.zarr").toString()), "out.zarr");
  }

  @Test
  void preprocessPrintsTheSummary() {
    Result r = run("preprocess", bin.toString(), "-o", tmp.resolve("summary.zarr").toString(), "--tile", "500ms");
    assertEquals(0, r.code(), r.err());
    for (String s : new String[] {"wall time", "real time", "peak memory", " MiB resident", "summary.zarr", "4 shards"}) {
      assertTrue(r.out().contains(s), "summary should show " + s + ":\n" + r.out());
    }
    // The workers ran in this JVM (DirectRunner), so the summary says how busy they kept the cores.
    assertTrue(java.util.regex.Pattern.compile("pipeline +[0-9.]+ of [0-9]+ cores busy; the workers waited in reads "
        + "and writes [0-9]+ % of their time").matcher(r.out()).find(), "no load line in:\n" + r.out());
  }
}
