package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default chain against a whole-recording numpy/scipy reference
 * (src/test/python/reference_chain.py), and its independence from the tile length.
 */
class PipelineNumericsTest {
  static final int CHANNELS = 96;
  static final double SECONDS = 12;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static Path bin;
  static Path out1s;

  @BeforeAll
  static void run() throws Exception {
    bin = TestRecordings.synth(tmp, "numerics", SECONDS, CHANNELS, 3);
    out1s = preprocess(1.0);
  }

  static Path preprocess(double tileSeconds) {
    Path out = tmp.resolve("tile" + tileSeconds + ".zarr");
    PreprocessJob job = new PreprocessJob(bin, out, PreprocessConfig.defaults().toBuilder().tileSeconds(tileSeconds).build(), 2);
    assertEquals(PipelineResult.State.DONE, job.run(job.build()));
    return out;
  }

  @Test
  void matchesTheNumpyScipyReferenceOfTheWholeRecording() throws Exception {
    float[] traces = Outputs.traces(out1s);
    assertEquals(List.of((long) (SECONDS * 30000), (long) CHANNELS),
        List.of(Outputs.tracesShape(out1s)[0], Outputs.tracesShape(out1s)[1]));
    Path tracesFile = tmp.resolve("traces.f32");
    Path wFile = tmp.resolve("w.f32");
    Path rangesFile = tmp.resolve("ranges.json");
    Outputs.writeFloat32(tracesFile, traces);
    Outputs.writeFloat32(wFile, Outputs.whitening(out1s));
    Map<String, Object> wAttributes = Outputs.whiteningAttributes(out1s);
    JSON.writeValue(rangesFile.toFile(),
        Map.of("sample_ranges", wAttributes.get("sample_ranges"), "eps", wAttributes.get("eps")));
    int edge = 3000; // 100 ms: the recording's own edges, where scipy pads differently
    JsonNode result = python("reference_chain.py", bin.toString(), String.valueOf(CHANNELS + 1), String.valueOf(CHANNELS),
        "30000", "300", "6000", tracesFile.toString(), wFile.toString(), rangesFile.toString(), String.valueOf(edge));
    System.out.println("reference comparison: " + result);
    assertTrue(result.get("w_rel_err").asDouble() < 1e-5, "W differs from numpy's ZCA: " + result);
    assertTrue(result.get("traces_rms_rel_err").asDouble() < 1e-4, "traces differ from the reference: " + result);
  }

  @Test
  void theOutputDoesNotDependOnTheTileLength() throws Exception {
    float[] oneSecond = Outputs.traces(out1s);
    for (double tile : new double[] {0.5, 3.0}) {
      Path out = preprocess(tile);
      assertTrue(Outputs.maxRelativeDifference(Outputs.whitening(out1s), Outputs.whitening(out)) == 0,
          "the whitening matrix must not depend on the tile length");
      double d = Outputs.maxRelativeDifference(oneSecond, Outputs.traces(out));
      System.out.printf("tile %.1f s vs 1 s: max |diff| / max |x| = %.3g%n", tile, d);
      assertTrue(d < 1e-6, "tile " + tile + " s differs from 1 s tiles by " + d);
    }
  }

  @Test
  void provenanceSaysWhatWasDone() throws Exception {
    Map<String, Object> attributes = Outputs.rootAttributes(out1s);
    assertEquals(30000.0, ((Number) attributes.get("sampling_frequency")).doubleValue());
    assertEquals(1, ((Number) attributes.get("num_segments")).intValue());
    @SuppressWarnings("unchecked")
    Map<String, Object> provenance = (Map<String, Object>) attributes.get("provenance");
    assertEquals(bin.toString(), ((Map<?, ?>) provenance.get("input")).get("path"));
    assertTrue(String.valueOf(((Map<?, ?>) provenance.get("input")).get("fingerprint")).matches("[0-9a-f]{64}:\\d+"));
    assertEquals(PreprocessConfig.defaults().toMap().keySet(), ((Map<?, ?>) provenance.get("configuration")).keySet());
    assertEquals(3, ((List<?>) provenance.get("chain")).size());
    assertTrue(Files.exists(out1s.resolve(".specus-complete.json")));
    assertTrue(Files.notExists(out1s.resolve(".specus-in-progress.json")));
  }

  static JsonNode python(String script, String... args) throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("specus.root", ".."));
    Path scriptPath = root.resolve("pipelines/src/test/python").resolve(script);
    List<String> command = new java.util.ArrayList<>(List.of("python3", scriptPath.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "python reference timed out");
    assertEquals(0, p.exitValue(), "python reference failed (needs python3 with numpy and scipy):\n" + output);
    String[] lines = output.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }
}
