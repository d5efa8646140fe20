package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.cli.Main;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import org.specus.io.zarr.ZarrV3Reader;

/**
 * Non-default pipelines from pipeline files, end to end on a synthetic NP1.0 recording, against
 * the whole-recording numpy/scipy reference (src/test/python/reference_pipeline.py); their
 * independence from the tile length; and re-running an output's stored configuration.
 */
class PipelineVariantsTest {
  static final int CHANNELS = 48;
  static final double SECONDS = 4;

  @TempDir static Path tmp;
  static Path bin;

  static final String LOCAL = """
      pipeline:
        - highpass: {cutoff_hz: 300, order: 3, direction: forward}
        - common_reference: {reference: local, inner_um: 30, outer_um: 55}
        - whiten: {mode: local, radius_um: 60, apply_mean: true, int_scale: 200}
      """;
  static final String NEAREST = """
      pipeline:
        - bandpass: {low_hz: 300, high_hz: 6000, direction: backward}
        - common_reference: {operator: average, reference: group}
        - whiten: {mode: local, nearest: 16, eps: 0.001}
      """;

  @BeforeAll
  static void recording() throws Exception {
    bin = TestRecordings.synth(tmp, "variants", SECONDS, CHANNELS, 11);
  }

  static Path run(String yaml, String name, double tileSeconds) {
    return run(bin, yaml, name, tileSeconds);
  }

  static Path run(Path input, String yaml, String name, double tileSeconds) {
    PreprocessConfig config = PipelineFile.fromYaml(yaml, name + ".yaml").toBuilder().tileSeconds(tileSeconds).build();
    Path out = tmp.resolve(name + "-" + tileSeconds + ".zarr");
    PreprocessJob job = new PreprocessJob(input, out, config, 2);
    assertEquals(PipelineResult.State.DONE, job.run(job.build()));
    return out;
  }

  static JsonNode compareWithReference(Path out) throws Exception {
    return compareWithReference(bin, out, CHANNELS + 1, "np1", 3000);
  }

  /** Runs reference_pipeline.py on the stored configuration of {@code out}. */
  @SuppressWarnings("unchecked")
  static JsonNode compareWithReference(Path bin, Path out, int nSaved, String probe, int edge) throws Exception {
    Map<String, Object> provenance = (Map<String, Object>) Outputs.rootAttributes(out).get("provenance");
    Map<String, Object> configuration = (Map<String, Object>) provenance.get("configuration");
    Map<String, Object> args = new LinkedHashMap<>();
    try (Recording r = Recordings.open(bin)) {
      args.put("locations", r.locations());
      args.put("groups", r.channelGroups());
      args.put("channel_ids", r.channelIds());
      args.put("gains", r.gainToUv());
    }
    Path labels = out.resolve("properties/channel_labels");
    if (labels.toFile().exists()) {
      ZarrV3Reader reader = ZarrV3Reader.open(labels);
      args.put("labels", reader.readDoubles());
      args.put("label_ranges", reader.attributes().get("sample_ranges"));
    }
    Path traces = tmp.resolve(out.getFileName() + ".f32");
    Outputs.writeFloat32(traces, Outputs.traces(out));
    args.put("bin", bin.toString());
    args.put("n_saved", nSaved);
    args.put("n_proc", (int) Outputs.tracesShape(out)[1]);
    args.put("fs", ((Number) Outputs.rootAttributes(out).get("sampling_frequency")).doubleValue());
    args.put("probe", probe);
    args.put("pipeline", configuration.get("pipeline"));
    args.put("traces", traces.toString());
    args.put("edge", edge);
    if (out.resolve("whitening_matrix").toFile().exists()) {
      Path w = tmp.resolve(out.getFileName() + ".w.f32");
      Outputs.writeFloat32(w, Outputs.whitening(out));
      Map<String, Object> wAttributes = Outputs.whiteningAttributes(out);
      args.put("w", w.toString());
      args.put("sample_ranges", wAttributes.get("sample_ranges"));
      args.put("eps", wAttributes.get("eps"));
    }
    if (out.resolve("whitening_mean").toFile().exists()) {
      Path mean = tmp.resolve(out.getFileName() + ".mean.f32");
      Outputs.writeFloat32(mean, ZarrV3Reader.open(out.resolve("whitening_mean")).readFloats());
      args.put("mean", mean.toString());
    }
    Path argsFile = tmp.resolve(out.getFileName() + ".json");
    PipelineNumericsTest.JSON.writeValue(argsFile.toFile(), args);
    JsonNode result = PipelineNumericsTest.python("reference_pipeline.py", argsFile.toString());
    System.out.println(out.getFileName() + " vs reference: " + result);
    return result;
  }

  /*
   * Tolerances: W is the same ZCA computed in double from sums over the same samples (~1e-7);
   * traces go through float32 filters, references and W, ~1e-7..1e-6 relative.
   */
  @Test
  void localReferenceAndLocalWhiteningWithMeanAndScaleMatchNumpy() throws Exception {
    Path out = run(LOCAL, "local", 1.0);
    JsonNode r = compareWithReference(out);
    assertTrue(r.get("w_rel_err").asDouble() < 1e-5, r.toString());
    assertTrue(r.get("mean_rel_err").asDouble() < 1e-5, r.toString());
    assertTrue(r.get("traces_rms_rel_err").asDouble() < 1e-5, r.toString());
    assertEquals(200.0, ((Number) Outputs.whiteningAttributes(out).get("int_scale")).doubleValue());

    // int16 output: the same samples, rounded half to even (numpy's round), saturated
    PreprocessConfig int16 = PipelineFile.fromYaml(LOCAL + "dtype: int16\n", "int16.yaml");
    Path outInt = tmp.resolve("local-int16.zarr");
    PreprocessJob job = new PreprocessJob(bin, outInt, int16, 2);
    assertEquals(PipelineResult.State.DONE, job.run(job.build()));
    ZarrV3Reader ints = ZarrV3Reader.open(outInt.resolve("traces_seg0"));
    assertEquals("int16", ints.dataTypeName());
    short[] counts = ints.readShorts();
    float[] floats = Outputs.traces(out);
    for (int i = 0; i < floats.length; i++) {
      assertEquals((short) Math.max(-32768, Math.min(32767, Math.rint(floats[i]))), counts[i], "sample " + i);
    }

    float[] other = Outputs.traces(run(LOCAL, "local", 0.7));
    double d = Outputs.maxRelativeDifference(Outputs.traces(out), other);
    System.out.printf("local pipeline, tile 0.7 s vs 1 s: max |diff| / max |x| = %.3g%n", d);
    assertTrue(d < 1e-6, "tile length changed the output by " + d);
  }

  static final String PHASE = """
      pipeline:
        - phase_shift: {}
        - highpass: {cutoff_hz: 300, order: 3}
        - common_reference: {}
        - whiten: {}
      """;

  @Test
  void phaseShiftFirstMatchesNumpyAndDoesNotDependOnTheTileLength() throws Exception {
    Path out = run(PHASE, "phase", 1.0);
    JsonNode r = compareWithReference(out);
    assertTrue(r.get("w_rel_err").asDouble() < 1e-5, r.toString());
    assertTrue(r.get("traces_rms_rel_err").asDouble() < 1e-5, r.toString());
    double d = Outputs.maxRelativeDifference(Outputs.traces(out), Outputs.traces(run(PHASE, "phase", 2.3)));
    System.out.printf("phase-shift pipeline, tile 2.3 s vs 1 s: max |diff| / max |x| = %.3g%n", d);
    assertTrue(d < 1e-6, "tile length changed the output by " + d);
  }

  /** Real NP1.0 and NP2.0 signal (../shared/data): phase shift > highpass > local median reference. */
  @Test
  void realProbesPhaseShiftFilterAndLocalReferenceMatchNumpy() throws Exception {
    Path root = TestRecordings.sharedData().resolve("spikeglx/recordings");
    String yaml = """
        pipeline:
          - phase_shift: {}
          - highpass: {cutoff_hz: 300, order: 3}
          - common_reference: {reference: local}
        """;
    for (String[] rec : new String[][] {
        {"Noise4Sam_g0/Noise4Sam_g0_imec0/Noise4Sam_g0_t0.imec0.ap.bin", "np1"},
        {"NP2_with_sync/all_chan_g0_imec0/all_chan_g0_t0.imec0.ap.bin", "np2"}}) {
      Path input = root.resolve(rec[0]);
      int saved;
      try (Recording r = Recordings.open(input)) {
        saved = r.numChannels() + 1; // these files save the sync channel after the neural ones
      }
      JsonNode result = compareWithReference(input, run(input, yaml, "real-" + rec[1], 1.0), saved, rec[1], 0);
      assertTrue(result.get("traces_rms_rel_err").asDouble() < 1e-5, rec[0] + ": " + result);
    }
  }

  /**
   * A recording with a dead channel (flat) and a noisy one (broadband noise): the whole pipeline
   * with detection runs through Beam's statistics pass and side inputs, labels them as numpy does,
   * and interpolates or excludes them as numpy's reference.
   */
  @Test
  void badChannelsAreFoundInterpolatedOrExcludedAsNumpyDoes() throws Exception {
    Path doctored = doctor(bin, "doctored", new int[] {10}, new int[] {30});
    for (String action : new String[] {"interpolate", "exclude"}) {
      String yaml = """
          pipeline:
            - highpass: {cutoff_hz: 300}
            - bad_channels: {action: %s, chunks: 10}
            - common_reference: {}
            - whiten: {eps: 1.0}
          """.formatted(action);
      // An interpolated channel is a combination of others (and a zeroed one is zero), so the
      // covariance is singular: with SpikeInterface's eps rule on count-scale data (1e-16) W
      // would be 1e8 along those directions, and any two implementations disagree there.
      Path out = run(doctored, yaml, "bad-" + action, 1.0);
      ZarrV3Reader labels = ZarrV3Reader.open(out.resolve("properties/channel_labels"));
      List<?> names = (List<?>) labels.attributes().get("labels");
      assertEquals("dead", names.get(10));
      assertEquals("noise", names.get(30));
      JsonNode r = compareWithReference(doctored, out, CHANNELS + 1, "np1", 3000);
      assertEquals(0, r.get("labels_differ").asInt(), r.toString());
      assertTrue(r.get("w_rel_err").asDouble() < 1e-5, r.toString());
      assertTrue(r.get("traces_rms_rel_err").asDouble() < 1e-5, r.toString());
    }
  }

  /** The same labels as numpy on real NP1.0/NP2.0 signal (one chunk: the files are short). */
  @Test
  void realProbesBadChannelLabelsMatchNumpy() throws Exception {
    Path root = TestRecordings.sharedData().resolve("spikeglx/recordings");
    String yaml = """
        pipeline:
          - highpass: {cutoff_hz: 300}
          - bad_channels: {action: detect}
        """;
    for (String[] rec : new String[][] {
        {"Noise4Sam_g0/Noise4Sam_g0_imec0/Noise4Sam_g0_t0.imec0.ap.bin", "np1"},
        {"NP2_with_sync/all_chan_g0_imec0/all_chan_g0_t0.imec0.ap.bin", "np2"}}) {
      Path input = root.resolve(rec[0]);
      int saved;
      try (Recording r = Recordings.open(input)) {
        saved = r.numChannels() + 1;
      }
      JsonNode result = compareWithReference(input, run(input, yaml, "labels-" + rec[1], 1.0), saved, rec[1], 0);
      assertEquals(0, result.get("labels_differ").asInt(), rec[0] + ": " + result);
      assertTrue(result.get("traces_rms_rel_err").asDouble() < 1e-5, rec[0] + ": " + result);
    }
  }

  /**
   * A real 4-shank NP2.4 probe (96 channels per shank): per-shank median reference and Kilosort-style
   * local whitening against numpy (the file is 100 samples long, so no filter).
   */
  @Test
  void realFourShankProbeGroupReferenceAndNearestWhiteningMatchNumpy() throws Exception {
    Path input = TestRecordings.sharedData().resolve(
        "spikeglx/recordings/multi_probe_multi_dock_multi_shank_filename_without_info/probe_2/npx.imec.ap.bin");
    String yaml = """
        pipeline:
          - common_reference: {reference: group}
          - whiten: {mode: local, nearest: 16, apply_mean: true, eps: 1.0}
        """;
    JsonNode r = compareWithReference(input, run(input, yaml, "shanks", 1.0), 385, "np2", 0);
    assertTrue(r.get("w_rel_err").asDouble() < 1e-5, r.toString());
    assertTrue(r.get("traces_rms_rel_err").asDouble() < 1e-5, r.toString());
  }

  /** A copy of {@code bin} with channels {@code dead} flat and {@code noisy} drowned in broadband noise. */
  static Path doctor(Path bin, String name, int[] dead, int[] noisy) throws Exception {
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve(name));
    Path out = dir.resolve(name + "_g0_t0.imec0.ap.bin");
    java.nio.file.Files.copy(bin.resolveSibling(bin.getFileName().toString().replace(".bin", ".meta")),
        dir.resolve(name + "_g0_t0.imec0.ap.meta"));
    byte[] bytes = java.nio.file.Files.readAllBytes(bin);
    java.nio.ShortBuffer s = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    int saved = CHANNELS + 1;
    java.util.Random random = new java.util.Random(5);
    for (int t = 0; t < s.limit() / saved; t++) {
      for (int c : dead) {
        s.put(t * saved + c, (short) 0);
      }
      for (int c : noisy) {
        s.put(t * saved + c, (short) Math.max(-32000, Math.min(32000, s.get(t * saved + c) + random.nextGaussian() * 400)));
      }
    }
    java.nio.file.Files.write(out, bytes);
    return out;
  }

  @Test
  void backwardBandpassGroupAverageAndNearestWhiteningMatchNumpy() throws Exception {
    JsonNode r = compareWithReference(run(NEAREST, "nearest", 1.0));
    assertTrue(r.get("w_rel_err").asDouble() < 1e-5, r.toString());
    assertTrue(r.get("traces_rms_rel_err").asDouble() < 1e-5, r.toString());
  }

  /** specus preprocess --config OUT.zarr re-runs the stored pipeline: the same bytes. */
  @Test
  void rerunningAnOutputsConfigurationGivesTheSameResult() throws Exception {
    Path yaml = tmp.resolve("rerun.yaml");
    java.nio.file.Files.writeString(yaml, NEAREST + "tile_seconds: 1.5\n");
    Path first = tmp.resolve("first.zarr");
    Path second = tmp.resolve("second.zarr");
    assertEquals(0, Main.execute(new java.io.PrintWriter(System.err, true),
        "preprocess", bin.toString(), "-o", first.toString(), "--config", yaml.toString(), "--parallelism", "2"));
    assertEquals(0, Main.execute(new java.io.PrintWriter(System.err, true),
        "preprocess", bin.toString(), "-o", second.toString(), "--config", first.toString(), "--parallelism", "2"));
    assertArrayEquals(Outputs.traces(first), Outputs.traces(second));
    assertEquals(Outputs.rootAttributes(first).get("provenance") instanceof Map<?, ?> p ? p.get("configuration") : null,
        Outputs.rootAttributes(second).get("provenance") instanceof Map<?, ?> q ? q.get("configuration") : null);
    assertEquals(List.of((long) (30000 * SECONDS), (long) CHANNELS),
        List.of(Outputs.tracesShape(second)[0], Outputs.tracesShape(second)[1]));
  }
}
