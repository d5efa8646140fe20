package org.specus.io.spikeglx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;
import org.specus.io.TestData;

/** The real multi-gate, multi-trigger runs, checked against CatGT's concatenation of the same files. */
class SpikeGlxTriggersTest {
  static final String RUNS = "spikeglx/recordings/multi_trigger_multi_gate/";
  static final String CI0_G0 = RUNS + "SpikeGLX/5-19-2022-CI0/5-19-2022-CI0_g0/5-19-2022-CI0_g0_imec0/";
  static final ReaderOptions CONCAT = ReaderOptions.auto().withConcatTriggers(true);

  @Test
  void triggersAreJoinedInOrderAlignedAsCatGtDoes() throws Exception {
    Path t0 = TestData.require(CI0_G0 + "5-19-2022-CI0_g0_t0.imec0.ap.bin");
    Path t1 = t0.resolveSibling("5-19-2022-CI0_g0_t1.imec0.ap.bin");
    Path catgt = TestData.require(RUNS + "CatGT/CatGT-A/catgt_5-19-2022-CI0_g0/5-19-2022-CI0_g0_imec0/"
        + "5-19-2022-CI0_g0_tcat.imec0.ap.bin");
    try (Recording run = Recordings.open(t1, CONCAT); // any trigger names the run
        Recording a = Recordings.open(t0);
        Recording b = Recordings.open(t1);
        Recording cat = Recordings.open(catgt)) {
      assertEquals(List.of(t0, t1), ((SpikeGlxTriggers) run).files());
      // t1 starts (firstSample) one sample before t0 ends: CatGT-A keeps 299 + 300 samples, so do we.
      assertEquals(cat.numSamples(), run.numSamples());
      assertEquals(599, run.numSamples());
      assertTrue(run.warnings().stream().anyMatch(w -> w.contains("overlap of 1 samples")), run.warnings().toString());
      int ch = run.numChannels();
      float[] all = new float[599 * ch];
      run.readFloat(0, 599, all);
      float[] first = new float[299 * ch];
      a.readFloat(0, 299, first);
      float[] second = new float[300 * ch];
      b.readFloat(0, 300, second);
      assertArrayEquals(first, Arrays.copyOfRange(all, 0, 299 * ch));
      assertArrayEquals(second, Arrays.copyOfRange(all, 299 * ch, 599 * ch));
      // A span across the join, read on its own, is the same as the whole read.
      short[] across = new short[20 * ch];
      run.readInt16(290, 310, across);
      for (int k = 0; k < across.length; k++) {
        assertEquals(all[290 * ch + k], across[k]);
      }
    }
  }

  @Test
  void overlappingTriggersDropTheRepeatedTail() throws Exception {
    Path t0 = TestData.require(RUNS + "SpikeGLX/5-19-2022-CI4/5-19-2022-CI4_g0/5-19-2022-CI4_g0_imec0/"
        + "5-19-2022-CI4_g0_t0.imec0.ap.bin");
    try (Recording run = Recordings.open(t0, CONCAT)) {
      assertEquals(600 + 900, run.numSamples()); // 20 ms files overlapping by 10 ms
    }
  }

  @Test
  void runFolderIsListed() {
    Path dir = TestData.require(RUNS + "SpikeGLX/5-19-2022-CI1");
    List<String> lines = Recordings.catalog(dir);
    assertEquals(8, lines.size(), lines.toString()); // 2 gates x 2 probes x (ap, lf)
    assertTrue(lines.get(0).startsWith("5-19-2022-CI1_g0 imec0.ap: 2 trigger files (t0 "), lines.get(0));
  }

  @Test
  void triggersThatDisagreeAreRefused(@TempDir Path tmp) throws Exception {
    Path src = TestData.require(CI0_G0);
    for (String t : List.of("t0", "t1")) {
      for (String ext : List.of(".bin", ".meta")) {
        String name = "5-19-2022-CI0_g0_" + t + ".imec0.ap" + ext;
        Files.copy(src.resolve(name), tmp.resolve(name));
      }
    }
    Path meta1 = tmp.resolve("5-19-2022-CI0_g0_t1.imec0.ap.meta");
    Files.writeString(meta1, Files.readString(meta1).replace("imSampRate=30000.061088", "imSampRate=30000.5"));
    RecordingException e = assertThrows(RecordingException.class,
        () -> Recordings.open(tmp.resolve("5-19-2022-CI0_g0_t0.imec0.ap.bin"), CONCAT));
    assertEquals("5-19-2022-CI0_g0_t1.imec0.ap.bin: sampling rate differs from 5-19-2022-CI0_g0_t0.imec0.ap.bin:"
        + " trigger files of one run must agree to be concatenated", e.getMessage());
  }
}
