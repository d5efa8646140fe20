package org.specus.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.specus.synth.SynthConfig;
import org.specus.synth.SyntheticRecording;

/** Recordings the pipeline tests run on: synthesized ones, and the real ones in ../shared/data. */
public final class TestRecordings {
  private TestRecordings() {}

  public static Path synth(Path dir, String name, double seconds, int channels, long seed) throws Exception {
    Path bin = dir.resolve(name + "_g0_t0.imec0.ap.bin");
    if (!Files.exists(bin)) {
      SynthConfig config = SynthConfig.builder().durationSeconds(seconds).channels(channels).seed(seed).build();
      new SyntheticRecording(config).write(bin);
    }
    return bin;
  }

  public static Path sharedData() {
    Path data = Path.of(System.getProperty("specus.root", ".")).resolve("../shared/data").normalize();
    Assumptions.assumeTrue(Files.isDirectory(data), "../shared/data is absent: skipping tests on real recordings");
    return data;
  }
}
