package org.specus.io.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.specus.io.ReaderOptions;

/** The recording's facts travel with every DoFn: they must arrive whole, and cheaply. */
class RecordingInfoTest {
  private static RecordingInfo neuropixels(double[] shifts) {
    int n = 384;
    List<String> ids = new ArrayList<>();
    double[] gains = new double[n];
    double[][] locations = new double[n][];
    int[] groups = new int[n];
    for (int c = 0; c < n; c++) {
      ids.add("imec0.ap#AP" + c + (c == 7 ? " é" : ""));
      gains[c] = 2.34375 + c * 1e-3;
      locations[c] = new double[] {16 * (c % 4), 20 * (c / 2)};
      groups[c] = c / 96;
    }
    return new RecordingInfo("/data/m1/run_g0_t0.imec0.ap.bin", "spikeglx", 30000.0, 1_800_000, n, ids, gains,
        locations, "meta:abc", groups, shifts, ReaderOptions.auto());
  }

  private static RecordingInfo roundTrip(RecordingInfo info) throws Exception {
    return JavaSerialisation.roundTrip(info);
  }

  private static void assertSameFacts(RecordingInfo expected, RecordingInfo actual) {
    assertEquals(expected.path(), actual.path());
    assertEquals(expected.format(), actual.format());
    assertEquals(expected.samplingRate(), actual.samplingRate());
    assertEquals(expected.numSamples(), actual.numSamples());
    assertEquals(expected.numChannels(), actual.numChannels());
    assertEquals(expected.channelIds(), actual.channelIds());
    assertArrayEquals(expected.gainToUv(), actual.gainToUv());
    assertArrayEquals(expected.locations(), actual.locations());
    assertEquals(expected.fingerprint(), actual.fingerprint());
    assertArrayEquals(expected.channelGroups(), actual.channelGroups());
    assertArrayEquals(expected.sampleShifts(), actual.sampleShifts());
    assertEquals(expected.readerOptions(), actual.readerOptions());
  }

  @Test
  void everyFactSurvivesSerialisation() throws Exception {
    double[] shifts = new double[384];
    for (int c = 0; c < shifts.length; c++) {
      shifts[c] = (c % 13) / 13.0;
    }
    RecordingInfo info = neuropixels(shifts);
    assertSameFacts(info, roundTrip(info));
    RecordingInfo noShifts = neuropixels(null);
    RecordingInfo back = roundTrip(noShifts);
    assertNull(back.sampleShifts());
    assertSameFacts(noShifts, back);
  }

  @Test
  void itIsWrittenAsAHandfulOfObjectsNotOnePerChannel() throws Exception {
    int[] objects = {0};
    JavaSerialisation.write(neuropixels(null), objects);
    assertTrue(objects[0] < 20, objects[0] + " objects written for 384 channels");
  }
}
