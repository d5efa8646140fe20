package org.specus.io.spikeglx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import org.specus.io.TestData;

/** Values checked by hand against the real files under {@code ../shared/data/spikeglx}. */
class SpikeGlxKnownValuesTest {

  private static final String REC = "spikeglx/recordings/";
  private static final String META = "spikeglx/meta/";

  @Test
  void np1ApFileCutAfterRecording() throws Exception {
    Path bin = TestData.require(REC + "Noise4Sam_g0/Noise4Sam_g0_imec0/Noise4Sam_g0_t0.imec0.ap.bin");
    try (Recording rec = Recordings.open(bin)) {
      assertEquals("spikeglx", rec.format());
      assertEquals(bin, rec.path());
      assertEquals(384, rec.numChannels());
      assertEquals(30000.0, rec.samplingRate());
      assertEquals(889350 / 770, rec.numSamples());
      assertEquals(1155, rec.numSamples());
      for (double g : rec.gainToUv()) {
        assertEquals(2.34375, g, 0.0, "0.6 V / 512 / 500 in µV");
      }
      assertEquals("AP0", rec.channelIds().get(0));
      assertEquals("AP383", rec.channelIds().get(383));
      // The stub was cut: the meta still describes the full 5.27 s recording.
      assertTrue(rec.warnings().stream().anyMatch(w -> w.contains("889350") && w.contains("121625350")),
          rec.warnings().toString());
      Map<String, String> s = rec.summary();
      assertEquals("SpikeGLX imec AP", s.get("format"));
      assertEquals("0 (NP1.0), part number PRB_1_4_0480_1", s.get("probe type"));
      assertEquals("384 processed + 1 sync (385 saved)", s.get("channels"));
      assertEquals("30000 Hz", s.get("sampling rate"));
      assertEquals("1155", s.get("samples"));
      assertEquals("2.34375", s.get("µV per bit"));
      assertEquals("384", s.get("sync channel"));
      assertEquals("20190327", s.get("SpikeGLX version"));
      assertEquals("x 11–59 µm, y 0–3820 µm", s.get("geometry extent"));
      String sha = SpikeGlxMeta.read(SpikeGlxRecording.sibling(bin, ".meta")).sha256();
      assertEquals(sha + ":889350", rec.fingerprint());
      assertEquals(64, sha.length());
    }
  }

  @Test
  void np2Type24GainAndFourShankGeometry() throws Exception {
    Path meta = TestData.require(REC + "TEST_20210920_0_g0/TEST_20210920_0_g0_t0.imec0.ap.meta");
    try (Recording rec = Recordings.open(meta)) {
      assertEquals("24 (NP2.0 4 shanks (NP2.4)), part number NP2010", rec.summary().get("probe type"));
      for (double g : rec.gainToUv()) {
        assertEquals(0.5 / 8192 / 80 * 1e6, g, 1e-12);
        assertEquals(0.7629, g, 1e-4);
      }
      assertEquals(1000, rec.numSamples());
      assertTrue(rec.warnings().stream().anyMatch(w -> w.contains("770000") && w.contains("23598960")));
      double[][] xy = rec.locations();
      assertArrayEquals(new double[] {27, 0}, xy[0]);
      assertArrayEquals(new double[] {59, 0}, xy[1]);
      assertArrayEquals(new double[] {27, 15}, xy[2]);
    }
    // Shank 3 of a 4-shank probe sits 3 x 250 µm to the right.
    Path probe1 = TestData.require(REC + "multi_probe_multi_dock_multi_shank_filename_without_info/probe_1/npx.imec.ap.meta");
    double[][] xy = SpikeGlxChannels.of(SpikeGlxMeta.read(probe1)).locations();
    assertArrayEquals(new double[] {3 * 250 + 27, 96 * 15}, xy[0]);
  }

  @Test
  void np2013GainFromImChan0apGainWithoutSyncChannel() throws Exception {
    Path meta = TestData.require(REC + "NP2_no_sync/all_chan_g0_t0.exported.imec0.ap.meta");
    try (Recording rec = Recordings.open(meta)) {
      assertEquals(384, rec.numChannels());
      assertEquals("none", rec.summary().get("sync channel"));
      assertEquals(0.62 / 2048 / 100 * 1e6, rec.gainToUv()[0], 1e-12);
      assertEquals(1000, rec.numSamples());
    }
  }

  @Test
  void nhpLongLfFile() throws Exception {
    Path bin = TestData.require(REC + "long_nhp_stubbed/snippet_g0/snippet_g0_imec0/snippet_g0_t0.imec0.lf.bin");
    try (Recording rec = Recordings.open(bin)) {
      assertEquals("SpikeGLX imec LF", rec.summary().get("format"));
      assertEquals("1030 (NP1.0 NHP long), part number NP1032", rec.summary().get("probe type"));
      assertEquals(2500.0, rec.samplingRate());
      assertEquals(625, rec.numSamples());
      assertEquals(0.25, rec.durationSeconds(), 1e-12);
      assertEquals("LF0", rec.channelIds().get(0));
      assertEquals("LF383", rec.channelIds().get(383));
      for (double g : rec.gainToUv()) {
        assertEquals(4.6875, g, 0.0, "0.6 V / 512 / LF gain 250 in µV");
      }
      // Positions come from SpikeGLX's own geomMap (bank 1 starts at 3840 µm).
      assertArrayEquals(new double[] {11, 3840}, rec.locations()[0]);
      assertArrayEquals(new double[] {114, 3840}, rec.locations()[1]);
      assertTrue(rec.warnings().isEmpty(), rec.warnings().toString());
    }
    // Its AP .bin is not in the data: the meta alone still gives the model.
    Path apMeta = TestData.require(REC + "long_nhp_stubbed/snippet_g0/snippet_g0_imec0/snippet_g0_t0.imec0.ap.meta");
    SpikeGlxChannels ap = SpikeGlxChannels.of(SpikeGlxMeta.read(apMeta));
    assertEquals(2.34375, ap.gainToUv()[0], 0.0);
  }

  @Test
  void nhpPrototypeWithoutGeomMapHasNoInventedPositions() throws Exception {
    Path meta = TestData.require(META + "ibl-neuropixel/fixtures__sampleNHPlong_prototype.ap.meta");
    SpikeGlxChannels ch = SpikeGlxChannels.of(SpikeGlxMeta.read(meta));
    assertNull(ch.locations());
    assertTrue(ch.warnings().stream().anyMatch(w -> w.contains("1030") && w.contains("positions unknown")));
  }

  @Test
  void ultraGeometryAndTypeZeroWithUltraPartNumber() throws Exception {
    Path meta = TestData.require(META + "ibl-neuropixel/fixtures__sampleNPultra_g0_t0.imec0.ap.meta");
    SpikeGlxChannels typed = SpikeGlxChannels.of(SpikeGlxMeta.read(meta));
    assertEquals("1100", typed.probe().code());
    assertArrayEquals(new double[] {0, 0}, typed.locations()[0]);
    assertArrayEquals(new double[] {42, 0}, typed.locations()[7]);
    assertArrayEquals(new double[] {0, 6}, typed.locations()[8]);
    assertArrayEquals(new double[] {42, 47 * 6}, typed.locations()[383]);

    // SpikeGLX before 2020 wrote the Ultra as type 0 (the np_ultra_stub recording, whose files are
    // not in the stored snapshot, is such a case). The part number wins, with a warning: read as
    // NP1.0 its 8-column shank map would be rejected.
    SpikeGlxChannels typeZero =
        SpikeGlxChannels.of(MetaFiles.parseVariant(meta, "ultra_type0.ap.meta", Map.of("imDatPrb_type", "0")));
    assertEquals("1100", typeZero.probe().code());
    assertTrue(typeZero.warnings().stream().anyMatch(w -> w.contains("imDatPrb_type=0") && w.contains("NP1100")));
    assertArrayEquals(typed.locations(), typeZero.locations());
    assertArrayEquals(typed.gainToUv(), typeZero.gainToUv());
  }

  @Test
  void shankMapConversionAgreesWithSpikeGlxGeomMap() throws Exception {
    // NP2.4: a file that has both maps.
    Path np24 = TestData.require(META + "viewephys-meta-only/1119617_LSE1_shank12_g0_t0.imec0.ap.meta");
    double[][] fromGeom = SpikeGlxChannels.of(SpikeGlxMeta.read(np24)).locations();
    Map<String, String> noGeom = new HashMap<>();
    noGeom.put("snsGeomMap", null);
    double[][] fromShank = SpikeGlxChannels.of(MetaFiles.parseVariant(np24, "np24.ap.meta", noGeom)).locations();
    assertNotNull(fromShank);
    assertArrayEquals(fromGeom, fromShank);

    // NP1.0: a 2023 file with a geomMap, against positions derived from its imro table.
    Path np1 = TestData.require(META + "ibl-neuropixel/fixtures__sample3B_version202304.ap.meta");
    double[][] np1Geom = SpikeGlxChannels.of(SpikeGlxMeta.read(np1)).locations();
    SpikeGlxChannels np1Imro = SpikeGlxChannels.of(MetaFiles.parseVariant(np1, "np1.ap.meta", noGeom));
    assertArrayEquals(np1Geom, np1Imro.locations());
  }

  @Test
  void oldLfFileWithoutShankMapGetsNp1PositionsFromImroTable() throws Exception {
    Path ap = TestData.require(META + "ibl-neuropixel/fixtures__sample3B_g0_t0.imec1.ap.meta");
    Path lf = TestData.require(META + "ibl-neuropixel/fixtures__sample3B_g0_t0.imec1.lf.meta");
    SpikeGlxChannels apCh = SpikeGlxChannels.of(SpikeGlxMeta.read(ap));
    SpikeGlxChannels lfCh = SpikeGlxChannels.of(SpikeGlxMeta.read(lf));
    assertArrayEquals(apCh.locations(), lfCh.locations());
    assertEquals(4.6875, lfCh.gainToUv()[0], 0.0);
  }

  @Test
  void quadBaseHasFourSyncChannels() throws Exception {
    Path meta = TestData.require(META + "ibl-neuropixel/fixtures__np2split__NP2QB_single_shank_meta___spikeglx_ephysData_g0_t0.imec0.ap.meta");
    SpikeGlxChannels ch = SpikeGlxChannels.of(SpikeGlxMeta.read(meta));
    assertEquals(384, ch.numChannels());
    assertArrayEquals(new int[] {384, 385, 386, 387}, ch.syncColumns());
    assertEquals(0.62 / 2048 / 100 * 1e6, ch.gainToUv()[0], 1e-12);
  }

  @Test
  void subsetOfSavedChannelsKeepsAcquisitionIds() throws Exception {
    Path meta = TestData.require(META + "ibl-neuropixel/fixtures__sample3B2_exported.imec0.ap.meta");
    SpikeGlxChannels ch = SpikeGlxChannels.of(SpikeGlxMeta.read(meta));
    assertEquals(301, ch.numChannels());
    assertEquals("AP300", ch.channelIds().get(300));
    assertArrayEquals(new int[] {301}, ch.syncColumns());
  }

  @Test
  void phase3aFilesWithoutImMaxInt() throws Exception {
    Path meta = TestData.require(META + "ibl-neuropixel/fixtures__sample3A_g0_t0.imec.ap.meta");
    SpikeGlxChannels ch = SpikeGlxChannels.of(SpikeGlxMeta.read(meta));
    assertEquals("3A", ch.probe().code());
    assertEquals(2.34375, ch.gainToUv()[0], 0.0);
  }

  @Test
  void missingImAiRangeMaxDefaultsWithWarning() throws Exception {
    Path meta = TestData.require(META + "ibl-neuropixel/fixtures__sample3B_g0_t0.imec1.ap.meta");
    Map<String, String> change = new HashMap<>();
    change.put("imAiRangeMax", null);
    SpikeGlxChannels ch = SpikeGlxChannels.of(MetaFiles.parseVariant(meta, "norange.ap.meta", change));
    assertEquals(2.34375, ch.gainToUv()[0], 0.0);
    assertTrue(ch.warnings().stream().anyMatch(w -> w.startsWith("norange.ap.meta: no imAiRangeMax")));
  }

  @Test
  void unreadablePartNumberIsAWarning() throws Exception {
    Path meta = TestData.require(META + "bombcell-meta-only/toy_data.ap.meta");
    SpikeGlxChannels ch = SpikeGlxChannels.of(SpikeGlxMeta.read(meta));
    assertEquals("0", ch.probe().code());
    assertTrue(ch.warnings().stream().anyMatch(w -> w.contains("unreadable")));
  }

  @Test
  void nidqAnalogChannelsAreProcessedDigitalWordIsSync() throws Exception {
    Path bin = TestData.require(REC + "Noise4Sam_g0/Noise4Sam_g0_t0.nidq.bin");
    try (Recording rec = Recordings.open(bin)) {
      assertEquals(8, rec.numChannels());
      assertEquals(List.of("XA0", "XA1", "XA2", "XA3", "XA4", "XA5", "XA6", "XA7"), rec.channelIds());
      assertEquals(11574.074074, rec.samplingRate());
      assertEquals(60864, rec.numSamples());
      assertEquals(1e6 * 2 / 32768, rec.gainToUv()[0], 1e-12);
      assertEquals("8", rec.summary().get("sync channel"));
      assertNull(rec.locations());
      assertEquals("unknown", rec.summary().get("geometry extent"));
      assertEquals("none (nidq)", rec.summary().get("probe type"));
    }
  }

  @Test
  void everyRealBinOpensWithTheSampleCountOfItsSize() throws Exception {
    Path root = TestData.require("spikeglx/recordings");
    List<Path> bins;
    try (var walk = Files.walk(root)) {
      bins = walk.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
    }
    assertTrue(bins.size() > 100, "found " + bins.size());
    for (Path bin : bins) {
      if (bin.getFileName().toString().startsWith("DigitalChannelTest")) {
        continue; // digital only: rejected, see SpikeGlxMetaCorpusTest
      }
      try (Recording rec = Recordings.open(bin)) {
        long frame = 2L * ((SpikeGlxRecording) rec).channels().savedChannels();
        assertEquals(Files.size(bin) / frame, rec.numSamples(), bin.toString());
        assertEquals(0, Files.size(bin) % frame, bin.toString());
      }
    }
  }
}
