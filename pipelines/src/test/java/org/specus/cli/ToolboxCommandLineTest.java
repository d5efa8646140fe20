package org.specus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.pipeline.Outputs;
import org.specus.pipeline.TestRecordings;

/** The toolbox from the command line: op flags, pipeline files, and what info prints. */
class ToolboxCommandLineTest {
  @TempDir static Path tmp;
  static Path bin;

  @BeforeAll
  static void recording() throws Exception {
    bin = TestRecordings.synth(tmp, "toolbox", 2, 32, 4);
  }

  static CommandLineTest.Result run(String... args) {
    return CommandLineTest.run(args);
  }

  @Test
  void everyOperationCanBeChosenWithFlagsInTheOrderLabsUse() throws Exception {
    Path out = tmp.resolve("flags.zarr");
    CommandLineTest.Result r = run("preprocess", bin.toString(), "-o", out.toString(), "--phase-shift",
        "--highpass", "300", "--filter-order", "3", "--filter-direction", "forward", "--bad-channels", "detect",
        "--cmr", "average", "--cmr-mode", "local", "--cmr-radius", "25,60", "--whiten", "local", "--whiten-nearest",
        "8", "--whiten-mean", "--parallelism", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("phase shift > highpass 300 Hz (order 3, forward) > bad channels (detect)"
        + " > average reference (local) > local whitening (mean removed)"), r.out());
    assertTrue(r.out().contains("bad channels "), r.out());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ops = (List<Map<String, Object>>) ((Map<?, ?>) ((Map<?, ?>) Outputs.rootAttributes(out)
        .get("provenance")).get("configuration")).get("pipeline");
    assertEquals(List.of("phase_shift", "highpass", "bad_channels", "common_reference", "whiten"),
        ops.stream().map(o -> o.get("op")).toList());
    assertEquals(25.0, ((Number) ops.get(3).get("inner_um")).doubleValue());
    assertEquals(8, ((Number) ops.get(4).get("nearest")).intValue());
  }

  @Test
  void flagErrorsAreOneLine() throws Exception {
    Path yaml = tmp.resolve("p.yaml");
    Files.writeString(yaml, "pipeline:\n  - op: highpass\n    cutof_hz: 300\n");
    CommandLineTest.assertOneLineError(run("preprocess", bin.toString(), "-o", tmp.resolve("x.zarr").toString(),
        "--config", yaml.toString()), "p.yaml line 3, highpass.cutof_hz: unknown parameter");
    CommandLineTest.assertOneLineError(run("preprocess", bin.toString(), "-o", tmp.resolve("x.zarr").toString(),
        "--config", yaml.toString(), "--cmr", "average"), "--cmr cannot be combined with --config");
    CommandLineTest.assertOneLineError(run("preprocess", bin.toString(), "-o", tmp.resolve("x.zarr").toString(),
        "--config", tmp.resolve("missing.yaml").toString()), "missing.yaml: no such configuration file");
    CommandLineTest.assertOneLineError(run("preprocess", bin.toString(), "-o", tmp.resolve("x.zarr").toString(),
        "--cmr-radius", "30,55"), "--cmr-radius needs --cmr-mode local");
    CommandLineTest.assertOneLineError(run("preprocess", bin.toString(), "-o", tmp.resolve("x.zarr").toString(),
        "--highpass", "300", "--bandpass", "300,6000"), "--highpass and --bandpass both choose the filter");
    CommandLineTest.assertOneLineError(run("preprocess", bin.toString(), "-o", tmp.resolve("x.zarr").toString(),
        "--filter-direction", "sideways"), "--bandpass, bandpass.direction: must be forward, backward or forward-backward");
    CommandLineTest.assertOneLineError(run("preprocess", bin.toString(), "-o", tmp.resolve("x.zarr").toString(),
        "--dtype", "int16"), "needs an explicit whiten.int_scale");
    assertTrue(Files.notExists(tmp.resolve("x.zarr")), "a rejected configuration must not touch the output");
  }

  @Test
  void infoShowsEachChannelsDelayAndOnRequestTheBadChannels() {
    CommandLineTest.Result r = run("info", bin.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s).*sample shifts +12 ADC slots.*"), r.out());
    assertTrue(r.out().contains("0.0769 samples ( 2.56 µs)    4 ch: AP2 AP3 AP26 AP27"), r.out());
    assertTrue(!r.out().contains("bad channels"), r.out());
    CommandLineTest.Result b = run("info", "--bad-channels", bin.toString());
    assertEquals(0, b.code(), b.err());
    assertTrue(b.out().matches("(?s).*bad channels +\\d+ of 32 channels.*"), b.out());
    assertTrue(b.out().contains("0 of 32 channels over 7 chunks: none"), b.out()); // a clean synthetic probe: no false alarms
  }
}
