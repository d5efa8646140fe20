package org.specus.io.nwb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.specus.io.ChoiceNeeded;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;
import org.specus.io.SystemPython;
import org.specus.io.TestData;
import org.specus.io.npy.Npy;

/** NWB files written by h5py (chunked, gzip), and the real NWB 2.5 tutorial file. */
class NwbRecordingTest {
  static final int SAMPLES = 12345;
  static final int CHANNELS = 16;
  static Path dir;

  @BeforeAll
  static void writeFixtures() throws Exception {
    SystemPython.require("h5py", "python3-h5py");
    dir = Path.of("target", "nwb-fixtures").toAbsolutePath();
    Files.createDirectories(dir);
    SystemPython.run(List.of(SystemPython.script("make_nwb.py").toString(), dir.toString(), Integer.toString(SAMPLES)));
  }

  static int stored(long i, int c) {
    return (int) (((i * 7 + c * 13) % 2001) - 1000);
  }

  @Test
  void int16SeriesWithConversionOffsetAndElectrodes() throws Exception {
    try (Recording r = Recordings.open(dir.resolve("series.nwb"), ReaderOptions.auto().withSeries("ElectricalSeries"))) {
      assertEquals("nwb", r.format());
      assertEquals(30000.0, r.samplingRate());
      assertEquals(SAMPLES, r.numSamples());
      assertEquals(CHANNELS, r.numChannels());
      assertEquals("102", r.channelIds().get(0));
      assertEquals("117", r.channelIds().get(15));
      // gain = conversion x channel_conversion x 1e6; offset folded into the values.
      assertEquals(2.5, r.gainToUv()[0], 1e-12);
      assertEquals(5.0, r.gainToUv()[1], 1e-12);
      assertArrayEquals(new double[] {0, 20}, r.locations()[0]); // table row 2
      assertArrayEquals(new double[] {32, 160}, r.locations()[15]); // table row 17
      // A span that crosses chunk boundaries (chunks of 1000 samples).
      long start = 1990;
      long end = 4010;
      float[] got = new float[(int) (end - start) * CHANNELS];
      r.readFloat(start, end, got);
      double[] gain = r.gainToUv();
      for (long i = start; i < end; i++) {
        for (int c = 0; c < CHANNELS; c++) {
          double uv = got[(int) ((i - start) * CHANNELS + c)] * gain[c];
          double expected = (stored(i, c) * 2.5e-6 * (c % 2 == 0 ? 1 : 2) + 1e-4) * 1e6;
          assertEquals(expected, uv, 1e-3, "sample " + i + " channel " + c);
        }
      }
    }
  }

  @Test
  void floatSeriesWithTimestampsIsChosenByName() throws Exception {
    Npy.Array expected = Npy.read(dir.resolve("other.npy"));
    try (Recording r = Recordings.open(dir.resolve("series.nwb"), ReaderOptions.auto().withSeries("Other"))) {
      assertEquals(4, r.numChannels());
      assertEquals(expected.rows(), r.numSamples());
      assertEquals(20000.0, r.samplingRate(), 1e-6);
      assertTrue(r.warnings().get(0).contains("timestamps"), r.warnings().toString());
      assertEquals(1e6, r.gainToUv()[0]);
      float[] all = new float[(int) r.numSamples() * 4];
      r.readFloat(0, r.numSamples(), all);
      for (int k = 0; k < all.length; k++) {
        assertEquals((float) expected.values()[k], all[k], "value " + k);
      }
    }
  }

  @Test
  void severalSeriesNeedAName() {
    ChoiceNeeded several = assertThrows(ChoiceNeeded.class, () -> Recordings.open(dir.resolve("series.nwb")));
    assertEquals("series.nwb: 2 ElectricalSeries under /acquisition (ElectricalSeries, Other); choose one with --series",
        several.getMessage());
    assertEquals(List.of("ElectricalSeries", "Other"), several.choices());
    assertEquals("Other", several.choose(ReaderOptions.auto(), "Other").series());
    RecordingException e = assertThrows(RecordingException.class,
        () -> Recordings.open(dir.resolve("series.nwb"), ReaderOptions.auto().withSeries("Nope")));
    assertEquals("series.nwb: no ElectricalSeries /acquisition/Nope (found: ElectricalSeries, Other)", e.getMessage());
  }

  @Test
  void noElectricalSeriesIsAClearError() {
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(dir.resolve("no_series.nwb")));
    assertEquals("no_series.nwb: no ElectricalSeries under /acquisition (neurodata_type attribute)", e.getMessage());
  }

  @Test
  void notHdf5IsAClearError() throws Exception {
    Path fake = dir.resolve("fake.nwb");
    Files.writeString(fake, "not an HDF5 file");
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(fake));
    assertTrue(e.getMessage().startsWith("fake.nwb: not a readable HDF5/NWB file"), e.getMessage());
  }

  @Test
  void realTutorialFile() throws Exception {
    Path f = TestData.require("nwb/neuroconv-ephy_testing_data/ecephys_tutorial_v2.5.0.nwb");
    SystemPython.require("h5py", "python3-h5py");
    String ref = SystemPython.run(List.of("-c", "import h5py,sys\n"
        + "d=h5py.File(sys.argv[1],'r')['acquisition/ElectricalSeries/data'][:]\n"
        + "print(' '.join(repr(float(v)) for v in d.ravel()))", f.toString()));
    String[] values = ref.trim().split(" ");
    try (Recording r = Recordings.open(f)) {
      assertEquals(20000.0, r.samplingRate());
      assertEquals(50, r.numSamples());
      assertEquals(4, r.numChannels());
      // The tutorial's electrodes region lists 12 electrodes for 4 columns: ids and positions are not used.
      assertTrue(r.warnings().get(0).contains("12 electrodes for 4 data columns"), r.warnings().toString());
      float[] got = new float[200];
      r.readFloat(0, 50, got);
      for (int k = 0; k < 200; k++) {
        assertEquals((float) Double.parseDouble(values[k]), got[k], "value " + k);
      }
    }
  }
}
