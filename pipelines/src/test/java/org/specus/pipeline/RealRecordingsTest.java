package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import org.specus.io.output.OutputStore;

/** The real SpikeGLX recordings in ../shared/data (NP1.0, NP2.0, NHP) go through the default chain. */
class RealRecordingsTest {
  @TempDir static Path tmp;

  static final List<String> RECORDINGS = List.of(
      "Noise4Sam_g0/Noise4Sam_g0_imec0/Noise4Sam_g0_t0.imec0.ap.bin",
      "TEST_20210920_0_g0/TEST_20210920_0_g0_t0.imec0.ap.bin",
      "NP2_with_sync/all_chan_g0_imec0/all_chan_g0_t0.imec0.ap.bin",
      "NP2_no_sync/all_chan_g0_t0.exported.imec0.ap.bin",
      "multi_probe_multi_dock_multi_shank_filename_without_info/probe_1/npx.imec.ap.bin",
      "multi_trigger_multi_gate/SpikeGLX/5-19-2022-CI0/5-19-2022-CI0_g0/5-19-2022-CI0_g0_imec0/5-19-2022-CI0_g0_t0.imec0.ap.bin",
      "long_nhp_stubbed/snippet_g0/snippet_g0_imec0/snippet_g0_t0.imec0.lf.bin");

  // The data check is inside each test: an assumption failing in the factory itself made surefire
  // report no test at all, not seven skipped ones with the reason.
  @TestFactory
  Stream<DynamicTest> realRecordingsPreprocessWithoutError() {
    return RECORDINGS.stream().map(rel -> DynamicTest.dynamicTest(rel, () -> {
      Path bin = TestRecordings.sharedData().resolve("spikeglx/recordings").resolve(rel);
      assertTrue(Files.exists(bin), "missing test recording " + bin);
      long samples;
      int channels;
      double rate;
      try (Recording r = Recordings.open(bin)) {
        samples = r.numSamples();
        channels = r.numChannels();
        rate = r.samplingRate();
      }
      // LF streams (2.5 kHz) get an LFP band; AP streams the default spike band.
      PreprocessConfig config = rate < 10_000
          ? PreprocessConfig.defaults().toBuilder().bandpass(5.0, 300.0).build()
          : PreprocessConfig.defaults();
      Path out = tmp.resolve(bin.getFileName().toString().replace(".bin", ".zarr"));
      PreprocessJob job = new PreprocessJob(bin, out, config, 2);
      assertEquals(PipelineResult.State.DONE, job.run(job.build()));
      assertTrue(OutputStore.isComplete(out));
      assertEquals(samples, Outputs.tracesShape(out)[0]);
      assertEquals(channels, Outputs.tracesShape(out)[1]);
      float[] traces = Outputs.traces(out);
      double sumSquares = 0;
      for (float v : traces) {
        assertTrue(Float.isFinite(v), "non-finite output in " + rel);
        sumSquares += (double) v * v;
      }
      assertTrue(sumSquares > 0, "all-zero output for " + rel);
    }));
  }
}
