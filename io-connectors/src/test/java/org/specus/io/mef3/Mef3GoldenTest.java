package org.specus.io.mef3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.specus.io.ConcurrentReads;
import org.specus.io.Recording;
import org.specus.io.TestData;

/**
 * The eight MEF 3.0 sessions of {@code ../shared/data/mef3}, written by the legacy meflib/pymef
 * writer, against the values their reference reader gave ({@code <case>.npz}: raw counts per
 * channel on the time grid, NaN in gaps). Every grid sample must match: stored counts exactly, and
 * gaps as 0.
 */
class Mef3GoldenTest {
  @ParameterizedTest
  @ValueSource(strings = {"plain_single", "nan_gap_short", "nan_gap_long", "multi_segment", "multi_channel",
      "enc_both", "with_annotations", "fractional_fs"})
  void everySampleMatchesTheReferenceReader(String name) throws Exception {
    try (Recording r = Mef3Recording.open(Mef3Golden.session(name), name.startsWith("enc") ? Mef3Golden.PASSWORD : null)) {
      List<String> ids = r.channelIds();
      double[][] expected = new double[ids.size()][];
      for (int c = 0; c < ids.size(); c++) {
        expected[c] = Mef3Golden.rawCounts(name, ids.get(c));
        assertEquals(expected[c].length, r.numSamples(), ids.get(c) + " samples");
      }
      int n = (int) r.numSamples();
      int nCh = ids.size();
      float[] all = new float[n * nCh];
      r.readFloat(0, n, all);
      for (int c = 0; c < nCh; c++) {
        for (int i = 0; i < n; i++) {
          double want = Double.isNaN(expected[c][i]) ? 0 : expected[c][i];
          assertEquals(want, all[i * nCh + c], name + " " + ids.get(c) + " sample " + i);
        }
      }
      // Windows that start and end inside blocks and gaps, from several threads at once, give the same values.
      ConcurrentReads.check(4, 40, n, 700, (start, count) -> {
        float[] w = new float[count * nCh];
        r.readFloat(start, start + count, w);
        for (int k = 0; k < count * nCh; k++) {
          assertEquals(all[start * nCh + k], w[k], name + " window at " + start);
        }
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain_single", "multi_channel", "fractional_fs"})
  void metadataMatchesTheManifest(String name) throws Exception {
    try (Recording r = Mef3Recording.open(Mef3Golden.session(name), null)) {
      String manifest = Files.readString(TestData.require(Mef3Golden.DIR).resolve("manifest.json"));
      String caseJson = manifest.substring(manifest.indexOf("\"name\": \"" + name + "\""));
      double fs = Double.parseDouble(field(caseJson, "fs"));
      assertEquals(fs, r.samplingRate());
      for (int c = 0; c < r.numChannels(); c++) {
        String ch = caseJson.substring(caseJson.indexOf("\"" + r.channelIds().get(c) + "\""));
        assertEquals(Double.parseDouble(field(ch, "ufact")), r.gainToUv()[c], 1e-15, "µV per count (units are uV)");
      }
      assertTrue(r.summary().get("start (UTC)").startsWith("2020-01-01T00:00:00Z"), r.summary().toString());
    }
  }

  private static String field(String json, String key) {
    int at = json.indexOf("\"" + key + "\":") + key.length() + 3;
    int end = at;
    while (",}\n".indexOf(json.charAt(end)) < 0) {
      end++;
    }
    return json.substring(at, end).trim();
  }
}
