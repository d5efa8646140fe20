package org.specus.io.openephys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ChoiceNeeded;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;
import org.specus.io.TestData;

/** Every real Open Ephys binary recording in ../shared/data, and the bad inputs they suggest. */
class OpenEphysRecordingTest {
  static final String ROOT = "openephys-binary";
  static final String MIXED = ROOT + "/neural_and_non_neural_data_mixed/experiment1/recording1";
  static final String TWO_STREAMS = ROOT + "/v0.5.3_two_neuropixels_stream/Record_Node_107/experiment1/recording1";

  @Test
  void everyRealRecordingOpensOrFailsNamingTheField() throws Exception {
    Path root = TestData.require(ROOT);
    List<Path> all = OpenEphysRecording.findAll(root);
    assertEquals(10, all.size());
    int opened = 0;
    for (Path oebin : all) {
      for (String line : OpenEphysRecording.catalog(oebin.getParent())) {
        String stream = line.substring(line.indexOf("stream ") + 7, line.indexOf(':'));
        ReaderOptions o = ReaderOptions.auto().withStream(stream);
        if (line.contains("MISSING")) {
          RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(oebin, o));
          assertEquals("structure.oebin: continuous[" + stream + "].folder_name names continuous/" + stream
              + "/continuous.dat, which does not exist", e.getMessage());
          continue;
        }
        try (Recording r = Recordings.open(oebin, o)) {
          assertEquals("openephys", r.format());
          long frames = Files.size(r.path()) / (2L * storedChannels(line, r));
          assertEquals(frames, r.numSamples(), line);
          float[] last = new float[r.numChannels()];
          r.readFloat(r.numSamples() - 1, r.numSamples(), last); // the last sample reads
          opened++;
        }
      }
    }
    assertEquals(10, opened);
  }

  private static int storedChannels(String catalogLine, Recording r) {
    int aux = catalogLine.contains("auxiliary") ? Integer.parseInt(catalogLine.replaceAll(".*\\(\\+(\\d+) auxiliary.*", "$1")) : 0;
    return r.numChannels() + aux;
  }

  @Test
  void neuralChannelsValuesAndGains() throws Exception {
    Path dir = TestData.require(MIXED);
    Path dat = dir.resolve("continuous/Rhythm_FPGA-100.0/continuous.dat");
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dat)).order(ByteOrder.LITTLE_ENDIAN);
    try (Recording r = Recordings.open(dir)) {
      assertEquals(List.of("CH1", "CH2", "CH3", "CH4"), r.channelIds());
      assertEquals(30000.0, r.samplingRate());
      assertEquals(30000, r.numSamples());
      assertEquals(0.19499999284744263, r.gainToUv()[0]);
      assertTrue(r.warnings().get(0).contains("ADC1, ADC2"), r.warnings().toString());
      float[] got = new float[100 * 4];
      r.readFloat(12345, 12445, got);
      short[] counts = new short[100 * 4];
      r.readInt16(12345, 12445, counts);
      for (int i = 0; i < 100; i++) {
        for (int c = 0; c < 4; c++) {
          short expected = bytes.getShort(((12345 + i) * 6 + c) * 2);
          assertEquals(expected, counts[i * 4 + c]);
          assertEquals(expected, got[i * 4 + c]);
        }
      }
      assertArrayEquals(new float[] {1293, 796, 8273, 1617}, java.util.Arrays.copyOf(readFirst(r), 4));
    }
  }

  private static float[] readFirst(Recording r) throws Exception {
    float[] f = new float[r.numChannels()];
    r.readFloat(0, 1, f);
    return f;
  }

  @Test
  void streamIsChosenByName() throws Exception {
    Path dir = TestData.require(TWO_STREAMS);
    ChoiceNeeded several = assertThrows(ChoiceNeeded.class, () -> Recordings.open(dir));
    assertEquals("structure.oebin: 2 continuous streams (Neuropix-PXI-116.0, Neuropix-PXI-116.1); choose one with --stream",
        several.getMessage());
    assertEquals(List.of("Neuropix-PXI-116.0", "Neuropix-PXI-116.1"), several.choices()); // what specus info lists
    assertEquals("Neuropix-PXI-116.1", several.choose(ReaderOptions.auto(), "Neuropix-PXI-116.1").stream());
    try (Recording r = Recordings.open(dir, ReaderOptions.auto().withStream("Neuropix-PXI-116.1"))) {
      assertEquals(2500.0, r.samplingRate());
      assertEquals(384, r.numChannels());
      assertEquals("LFP1", r.channelIds().get(0));
    }
    // A stream's continuous.dat names its stream.
    try (Recording r = Recordings.open(dir.resolve("continuous/Neuropix-PXI-116.1/continuous.dat"))) {
      assertEquals(2500.0, r.samplingRate());
    }
    RecordingException e = assertThrows(RecordingException.class,
        () -> Recordings.open(dir, ReaderOptions.auto().withStream("ProbeZ")));
    assertEquals("structure.oebin: no continuous stream named 'ProbeZ' (streams: Neuropix-PXI-116.0, Neuropix-PXI-116.1)",
        e.getMessage());
  }

  @Test
  void folderWithSeveralRecordingsIsListed() {
    Path root = TestData.require(ROOT + "/v0.5.x_two_nodes");
    List<String> catalog = Recordings.catalog(root);
    assertEquals(6, catalog.size(), catalog.toString());
    assertTrue(catalog.get(0).startsWith("RecordNode103/experiment1/recording1  stream File_Reader-100.0: 16 channels at"
        + " 40000 Hz, 20000 samples"), catalog.get(0));
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(root));
    assertTrue(e.getMessage().startsWith("v0.5.x_two_nodes: holds 6 Open Ephys recordings"), e.getMessage());
  }

  @Test
  void truncatedDatIsAClearError(@TempDir Path tmp) throws Exception {
    Path src = TestData.require(MIXED);
    Path rec = tmp.resolve("recording1");
    Path stream = rec.resolve("continuous/Rhythm_FPGA-100.0");
    Files.createDirectories(stream);
    Files.copy(src.resolve("structure.oebin"), rec.resolve("structure.oebin"));
    byte[] dat = Files.readAllBytes(src.resolve("continuous/Rhythm_FPGA-100.0/continuous.dat"));
    Files.write(stream.resolve("continuous.dat"), java.util.Arrays.copyOf(dat, dat.length - 5));
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(rec));
    assertEquals("continuous.dat: size (structure.oebin says num_channels=6) 359995 bytes is not a whole number of"
        + " samples (6 channels x 2 bytes int16): truncated, or wrong channel count or type?", e.getMessage());
    Files.writeString(rec.resolve("structure.oebin"), "{\"continuous\": [{\"folder_name\": \"X/\"}]}");
    e = assertThrows(RecordingException.class, () -> Recordings.open(rec));
    assertEquals("structure.oebin: continuous[0].sample_rate is missing", e.getMessage());
  }
}
