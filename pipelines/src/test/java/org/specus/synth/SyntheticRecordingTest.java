package org.specus.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticRecordingTest {

  private static final double UV = SyntheticRecording.UV_PER_BIT;

  @TempDir static Path shared;

  /** 2 s, 384 channels, default model but more stripes so that 2 s contain several. */
  private static SynthConfig cfg384;
  private static Path bin384;
  private static short[] data384;
  private static List<String[]> gt384;

  @BeforeAll
  static void writeMain() throws IOException {
    cfg384 = SynthConfig.builder().durationSeconds(2).seed(7).stripeRateHz(5).build();
    bin384 = shared.resolve("nested/dir/synth_g0_t0.imec0.ap.bin");
    new SyntheticRecording(cfg384).write(bin384);
    data384 = readShorts(bin384);
    gt384 = readCsv(SyntheticRecording.groundTruthPathFor(bin384));
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void sizesNamesAndNoLeftovers() throws IOException {
    long samples = 60000;
    assertEquals(samples, cfg384.numSamples());
    assertEquals(samples * 385 * 2, Files.size(bin384));
    assertTrue(Files.exists(shared.resolve("nested/dir/synth_g0_t0.imec0.ap.meta")));
    assertTrue(Files.exists(shared.resolve("nested/dir/synth_g0_t0.groundtruth.csv")));
    try (Stream<Path> s = Files.list(bin384.getParent())) {
      assertFalse(s.anyMatch(p -> p.toString().endsWith(".part")), "temporary files left");
    }
  }

  @Test
  void metaIsConsistent() throws IOException {
    Map<String, String> m = readMeta(SyntheticRecording.metaPathFor(bin384));
    for (String k : List.of("acqApLfSy", "appVersion", "fileName", "fileSizeBytes", "fileTimeSecs",
        "firstSample", "imAiRangeMax", "imAiRangeMin", "imMaxInt", "imDatPrb_type", "imDatPrb_pn",
        "imSampRate", "nSavedChans", "snsApLfSy", "snsSaveChanSubset", "typeThis", "~imroTbl",
        "~snsChanMap", "~snsGeomMap", "~snsShankMap")) {
      assertTrue(m.containsKey(k), "missing meta key " + k);
    }
    assertEquals(Long.toString(Files.size(bin384)), m.get("fileSizeBytes"));
    assertEquals("385", m.get("nSavedChans"));
    assertEquals("384,0,1", m.get("snsApLfSy"));
    assertEquals("all", m.get("snsSaveChanSubset"));
    assertEquals("30000", m.get("imSampRate"));
    assertEquals("imec", m.get("typeThis"));
    assertEquals("0", m.get("imDatPrb_type"));
    assertEquals("0", m.get("firstSample"));
    assertEquals(2.0, Double.parseDouble(m.get("fileTimeSecs")), 1e-12);
    assertTrue(m.get("fileName").endsWith("synth_g0_t0.imec0.ap.bin"));
    // gain from the meta the way readers compute it
    double uvPerBit = 1e6 * Double.parseDouble(m.get("imAiRangeMax"))
        / Double.parseDouble(m.get("imMaxInt")) / 500;
    assertEquals(2.34375, uvPerBit, 1e-12);

    List<String> imro = entries(m.get("~imroTbl"));
    assertEquals("0,384", imro.get(0));
    assertEquals(385, imro.size());
    assertEquals("383 0 0 500 250 1", imro.get(384));
    List<String> geom = entries(m.get("~snsGeomMap"));
    assertEquals(385, geom.size());
    assertTrue(geom.get(0).endsWith(",1,0,70"));
    for (int c = 0; c < 384; c++) {
      String[] f = geom.get(c + 1).split(":");
      assertEquals("0", f[0]);
      assertEquals(SyntheticRecording.siteXUm(c), Integer.parseInt(f[1]));
      assertEquals(20 * (c / 2), Integer.parseInt(f[2]));
    }
    assertEquals(Arrays.asList(27, 59, 11, 43), Arrays.asList(
        SyntheticRecording.siteXUm(0), SyntheticRecording.siteXUm(1),
        SyntheticRecording.siteXUm(2), SyntheticRecording.siteXUm(3)));
    assertEquals(385, entries(m.get("~snsShankMap")).size());
    List<String> chan = entries(m.get("~snsChanMap"));
    assertEquals(386, chan.size());
    assertEquals("SY0;384:384", chan.get(385));
  }

  @Test
  void channelCountOtherThan384(@TempDir Path dir) throws IOException {
    SynthConfig cfg = SynthConfig.builder().durationSeconds(1).channels(32).seed(3).build();
    Path bin = dir.resolve("small.imec0.ap.bin");
    SyntheticRecording.Output out = new SyntheticRecording(cfg).write(bin);
    assertEquals(30000L * 33 * 2, Files.size(bin));
    assertEquals(Files.size(bin), out.bytes());
    Map<String, String> m = readMeta(out.meta());
    assertEquals(Long.toString(Files.size(bin)), m.get("fileSizeBytes"));
    assertEquals("33", m.get("nSavedChans"));
    assertEquals("32,0,1", m.get("snsApLfSy"));
    assertEquals("0,32", entries(m.get("~imroTbl")).get(0));
    assertEquals(33, entries(m.get("~imroTbl")).size());
    assertEquals(33, entries(m.get("~snsGeomMap")).size());
    assertEquals(33, entries(m.get("~snsShankMap")).size());
    assertEquals(34, entries(m.get("~snsChanMap")).size());
    // every unit's peak channel is one of the 32
    for (String[] r : readCsv(out.groundTruth())) {
      if (!r[0].equals("stripe")) {
        int c = Integer.parseInt(r[3]);
        assertTrue(c >= 0 && c < 32);
      }
    }
    // rms check on the small probe too
    short[] d = readShorts(bin);
    double[] rms = channelRmsUv(d, 33, 32, excludeMask(readCsv(out.groundTruth()), 32, 30000));
    double expected = expectedNoiseRmsUv(cfg);
    for (int c = 0; c < 32; c++) {
      assertEquals(expected, rms[c], 0.05 * expected, "channel " + c);
    }
  }

  /**
   * Noise rms per channel, away from spikes of nearby units and from stripes. Expected: independent
   * noise (10) ⊕ shared broadband (3) ⊕ line sinusoid (5 / √2) ⊕ quantisation (2.34375 / √12) =
   * 11.04 µV. Tolerance 5 %: 2 s of 300–5000 Hz noise is ≥ 10^4 independent samples per channel
   * even after exclusions, so the rms estimate has a relative standard error below 1 %; 5 % is
   * more than 5 standard errors and still catches a wrong scale, filter gain or gain constant.
   */
  @Test
  void noiseRmsPerChannel() {
    double[] rms = channelRmsUv(data384, 385, 384, excludeMask(gt384, 384, 60000));
    double expected = expectedNoiseRmsUv(cfg384);
    assertEquals(11.04, expected, 0.01);
    for (int c = 0; c < 384; c++) {
      assertEquals(expected, rms[c], 0.05 * expected, "channel " + c);
    }
  }

  @Test
  void commonModeIsSharedByAllChannels() {
    int nch = 384;
    int ns = 60000;
    double[] med = new double[ns];
    double[] col = new double[nch];
    for (int n = 0; n < ns; n++) {
      for (int c = 0; c < nch; c++) {
        col[c] = data384[n * 385 + c];
      }
      Arrays.sort(col);
      med[n] = (col[nch / 2 - 1] + col[nch / 2]) / 2 * UV;
    }
    // every channel correlates with the median (expected ≈ 0.45 from the shared 3 µV broadband
    // and 5 µV line noise, more with stripes; without common mode it would be ≈ 0.05)
    double[] x = new double[ns];
    for (int c = 0; c < nch; c++) {
      for (int n = 0; n < ns; n++) {
        x[n] = data384[n * 385 + c] * UV;
      }
      double r = corr(x, med);
      assertTrue(r > 0.3, "channel " + c + " correlation with the median " + r);
    }
    // stripes: the median follows each isolated event with its signed amplitude
    List<long[]> stripes = new ArrayList<>();
    for (String[] r : gt384) {
      if (r[0].equals("stripe")) {
        stripes.add(new long[] {Long.parseLong(r[1]),
            Math.round(Double.parseDouble(r[4]) * 100)});
      }
    }
    assertTrue(stripes.size() >= 3, "expected several stripes in 2 s at 5 Hz, got " + stripes.size());
    int checked = 0;
    for (int i = 0; i < stripes.size(); i++) {
      long t = stripes.get(i)[0];
      boolean isolated = (i == 0 || t - stripes.get(i - 1)[0] > 60)
          && (i == stripes.size() - 1 || stripes.get(i + 1)[0] - t > 60);
      if (!isolated) {
        continue;
      }
      double amp = stripes.get(i)[1] / 100.0;
      assertTrue(Math.abs(amp) >= 50 && Math.abs(amp) <= 200);
      // median at the peak = amplitude + shared broadband + line (|.| < ~15 µV)
      assertEquals(amp, med[(int) t], 20, "stripe at " + t);
      checked++;
    }
    assertTrue(checked >= 3);
  }

  @Test
  void spikesAppearOnTheirPeakChannel() {
    Map<Integer, double[]> unitLoc = new HashMap<>();
    int spikes = 0;
    int strong = 0;
    double ratioSum = 0;
    for (String[] r : gt384) {
      if (r[0].equals("unit")) {
        unitLoc.put(Integer.parseInt(r[2]), new double[] {Double.parseDouble(r[5]),
            Double.parseDouble(r[6]), Double.parseDouble(r[7]), Double.parseDouble(r[8])});
        double peak = Double.parseDouble(r[4]);
        assertTrue(peak <= -60 && peak >= -200, "unit peak " + peak);
      } else if (r[0].equals("spike")) {
        long t = Long.parseLong(r[1]);
        int c = Integer.parseInt(r[3]);
        double amp = Double.parseDouble(r[4]);
        assertTrue(amp < 0);
        double v = data384[(int) t * 385 + c] * UV;
        spikes++;
        ratioSum += v / amp;
        // noise rms ≈ 11 µV: the trough at ≥ 54 µV is ≥ 2.5 noise rms below half of it
        if (v < 0.5 * amp) {
          strong++;
        }
      }
    }
    assertEquals(40, unitLoc.size());
    // 40 units × 2–10 Hz × 2 s: a few hundred spikes
    assertTrue(spikes > 200 && spikes < 1200, "spikes " + spikes);
    assertTrue(strong >= 0.95 * spikes, strong + " of " + spikes + " spikes clearly visible");
    double meanRatio = ratioSum / spikes;
    assertEquals(1.0, meanRatio, 0.1, "recorded trough / ground-truth amplitude");
    // ground truth is in sample order
    long last = -1;
    for (String[] r : gt384) {
      if (!r[0].equals("unit")) {
        long t = Long.parseLong(r[1]);
        assertTrue(t >= last);
        last = t;
      }
    }
  }

  @Test
  void refractoryPeriodIsRespected() {
    Map<Integer, Long> last = new HashMap<>();
    for (String[] r : gt384) {
      if (r[0].equals("spike")) {
        int u = Integer.parseInt(r[2]);
        long t = Long.parseLong(r[1]);
        Long prev = last.put(u, t);
        if (prev != null) {
          assertTrue(t - prev >= 60, "unit " + u + " ISI " + (t - prev));
        }
      }
    }
  }

  @Test
  void syncChannelCarriesOneHzSquareWaveOnBit6() {
    for (int n = 0; n < 60000; n++) {
      int expected = (n / 15000) % 2 == 0 ? 64 : 0;
      assertEquals(expected, data384[n * 385 + 384], "sample " + n);
    }
  }

  @Test
  void sameSeedSameBytesDifferentSeedDifferentBytes(@TempDir Path dir) throws IOException {
    SynthConfig cfg = SynthConfig.builder().durationSeconds(0.5).channels(64).seed(11)
        .stripeRateHz(10).build();
    Path a = dir.resolve("a.imec0.ap.bin");
    Path b = dir.resolve("b.imec0.ap.bin");
    Path c = dir.resolve("c.imec0.ap.bin");
    new SyntheticRecording(cfg).write(a);
    new SyntheticRecording(cfg).write(b);
    new SyntheticRecording(cfg.toBuilder().seed(12).build()).write(c);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertArrayEquals(Files.readAllBytes(SyntheticRecording.groundTruthPathFor(a)),
        Files.readAllBytes(SyntheticRecording.groundTruthPathFor(b)));
    assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
  }

  /**
   * The block size and the thread count are internal: 7500 (default), 1000, 4097 and 64 samples
   * per block (the last shorter than a spike, so spikes span three blocks), on 1 or 3 threads, give
   * identical bytes, including spikes and stripes that straddle block boundaries.
   */
  @Test
  void blockSizeAndThreadsDoNotChangeTheBytes(@TempDir Path dir) throws IOException {
    SynthConfig cfg = SynthConfig.builder().durationSeconds(0.6).channels(96).seed(5)
        .stripeRateHz(20).rateHz(20, 40).build();
    Path ref = dir.resolve("ref.imec0.ap.bin");
    new SyntheticRecording(cfg, 7500, 2).write(ref);
    byte[] refBytes = Files.readAllBytes(ref);
    byte[] refGt = Files.readAllBytes(SyntheticRecording.groundTruthPathFor(ref));
    // make sure boundaries are actually straddled at the 1000-sample block size
    int straddling = 0;
    for (String[] r : readCsv(SyntheticRecording.groundTruthPathFor(ref))) {
      if (r[0].equals("spike")) {
        long t = Long.parseLong(r[1]);
        if ((t - 30) / 1000 != (t + 60) / 1000) {
          straddling++;
        }
      }
    }
    assertTrue(straddling > 5, "spikes straddling 1000-sample boundaries: " + straddling);
    int[][] variants = {{1000, 1}, {4097, 3}, {64, 2}, {18000, 1}};
    for (int[] v : variants) {
      Path p = dir.resolve("b" + v[0] + "_" + v[1] + ".imec0.ap.bin");
      new SyntheticRecording(cfg, v[0], v[1]).write(p);
      assertArrayEquals(refBytes, Files.readAllBytes(p), "block " + v[0] + " threads " + v[1]);
      assertArrayEquals(refGt, Files.readAllBytes(SyntheticRecording.groundTruthPathFor(p)));
    }
  }

  @Test
  void rejectsBadNamesAndConfigs(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SyntheticRecording(SynthConfig.of(0.1)).write(dir.resolve("x.bin")));
    assertTrue(e.getMessage().contains(".ap.bin"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new SyntheticRecording(SynthConfig.of(0.1)).write(dir.resolve("x.lf.bin")));
    assertThrows(IllegalArgumentException.class,
        () -> SynthConfig.builder().channels(385).build());
    assertThrows(IllegalArgumentException.class,
        () -> SynthConfig.builder().durationSeconds(0).build());
    assertEquals(dir.resolve("run_g0_t0.groundtruth.csv"),
        SyntheticRecording.groundTruthPathFor(dir.resolve("run_g0_t0.imec0.ap.bin")));
    assertEquals(dir.resolve("run.groundtruth.csv"),
        SyntheticRecording.groundTruthPathFor(dir.resolve("run.ap.bin")));
    assertEquals(dir.resolve("run_g0_t0.imec0.ap.meta"),
        SyntheticRecording.metaPathFor(dir.resolve("run_g0_t0.imec0.ap.bin")));
  }

  @Test
  void defaults() {
    SynthConfig c = SynthConfig.of(3);
    assertEquals(384, c.channels());
    assertEquals(0, c.seed());
    assertEquals(30000, c.sampleRateHz());
    assertEquals(90000, c.numSamples());
    assertEquals(c, c.toBuilder().build());
  }

  // ---------------------------------------------------------------------------------------------

  static double expectedNoiseRmsUv(SynthConfig c) {
    double line = c.lineNoiseUv() / Math.sqrt(2);
    return Math.sqrt(c.noiseRmsUv() * c.noiseRmsUv() + c.commonNoiseRmsUv() * c.commonNoiseRmsUv()
        + line * line + UV * UV / 12);
  }

  /**
   * mask[c][n] = true where channel c is not noise-only: within −1.5 ms..+3 ms of a spike of a unit
   * whose amplitude on c (recomputed from the ground-truth location: |peak| · exp(−(d_c − d_peak) /
   * 30 µm)) exceeds 0.5 µV, or within 2 ms of a stripe peak.
   */
  static boolean[][] excludeMask(List<String[]> gt, int nch, int ns) {
    Map<Integer, boolean[]> near = new HashMap<>();
    for (String[] r : gt) {
      if (r[0].equals("unit")) {
        double peak = Math.abs(Double.parseDouble(r[4]));
        double x = Double.parseDouble(r[5]);
        double y = Double.parseDouble(r[6]);
        double z = Double.parseDouble(r[7]);
        double[] d = new double[nch];
        double dmin = Double.MAX_VALUE;
        for (int c = 0; c < nch; c++) {
          double dx = SyntheticRecording.siteXUm(c) - x;
          double dy = SyntheticRecording.siteYUm(c) - y;
          d[c] = Math.sqrt(dx * dx + dy * dy + z * z);
          dmin = Math.min(dmin, d[c]);
        }
        boolean[] b = new boolean[nch];
        for (int c = 0; c < nch; c++) {
          b[c] = peak * Math.exp(-(d[c] - dmin) / 30) > 0.5;
        }
        near.put(Integer.parseInt(r[2]), b);
      }
    }
    boolean[][] mask = new boolean[nch][ns];
    for (String[] r : gt) {
      if (r[0].equals("spike")) {
        int t = Integer.parseInt(r[1]);
        boolean[] b = near.get(Integer.parseInt(r[2]));
        for (int c = 0; c < nch; c++) {
          if (!b[c]) {
            continue;
          }
          for (int n = Math.max(0, t - 45); n < Math.min(ns, t + 91); n++) {
            mask[c][n] = true;
          }
        }
      } else if (r[0].equals("stripe")) {
        int t = Integer.parseInt(r[1]);
        for (int c = 0; c < nch; c++) {
          for (int n = Math.max(0, t - 60); n < Math.min(ns, t + 61); n++) {
            mask[c][n] = true;
          }
        }
      }
    }
    return mask;
  }

  static double[] channelRmsUv(short[] d, int stride, int nch, boolean[][] mask) {
    int ns = d.length / stride;
    double[] rms = new double[nch];
    for (int c = 0; c < nch; c++) {
      double s = 0;
      long k = 0;
      for (int n = 0; n < ns; n++) {
        if (!mask[c][n]) {
          double v = d[n * stride + c] * UV;
          s += v * v;
          k++;
        }
      }
      assertTrue(k > ns / 5, "too few noise-only samples on channel " + c + ": " + k);
      rms[c] = Math.sqrt(s / k);
    }
    return rms;
  }

  static double corr(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      double x = a[i] - ma;
      double y = b[i] - mb;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    return sab / Math.sqrt(saa * sbb);
  }

  static short[] readShorts(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    short[] s = new short[b.length / 2];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
    return s;
  }

  static Map<String, String> readMeta(Path p) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(p)) {
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      assertTrue(eq > 0, "not key=value: " + line);
      assertFalse(m.containsKey(line.substring(0, eq)), "duplicate key");
      m.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return m;
  }

  /** "(a)(b)(c)" → [a, b, c]. */
  static List<String> entries(String table) {
    assertTrue(table.startsWith("(") && table.endsWith(")"), table);
    return Arrays.asList(table.substring(1, table.length() - 1).split("\\)\\(", -1));
  }

  static List<String[]> readCsv(Path p) throws IOException {
    List<String> lines = Files.readAllLines(p);
    assertEquals(SyntheticRecording.CSV_HEADER, lines.get(0));
    List<String[]> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",", -1);
      assertEquals(9, f.length, l);
      rows.add(f);
    }
    return rows;
  }
}
