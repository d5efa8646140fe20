package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.specus.batch.BatchFixtures.assertSameOutput;
import static org.specus.batch.BatchFixtures.batch;
import static org.specus.batch.BatchFixtures.readJson;
import static org.specus.batch.BatchFixtures.rows;
import static org.specus.batch.BatchFixtures.specus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.SystemPython;
import org.specus.io.mef3.Mef3Golden;
import org.specus.io.mef3.Mef3Writer;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.Outputs;
import org.specus.pipeline.TestRecordings;

/**
 * A batch over a root that mixes formats: each recording it finds is processed as
 * {@code specus preprocess} processes it alone (the same bytes), LFP streams are left out, and
 * encrypted MEF 3.0 sessions open with the batch's password and fail, named, without it.
 */
class BatchFormatsTest {
  @TempDir Path tmp;

  static final String OE_REC = "rig2/2026-11-20/Record Node 101/experiment1/recording1/";
  static final String OE_AP = OE_REC + "continuous/Neuropix-PXI-100.ProbeA-AP/continuous.dat";

  /** An Open Ephys recording with an AP stream of {@code channels} at 30 kHz and its LFP stream at 2.5 kHz. */
  static void openEphys(Path rec, int channels, double seconds, long seed) throws Exception {
    List<String> names = new ArrayList<>();
    for (int c = 1; c <= channels; c++) {
      names.add("CH" + c);
    }
    String ch = String.join(",", names);
    Files.createDirectories(rec);
    Files.writeString(rec.resolve("structure.oebin"), RecordingFinderTest.oebin(
        "Neuropix-PXI-100.ProbeA-AP:30000:" + ch, "Neuropix-PXI-100.ProbeA-LFP:2500:" + ch));
    Path continuous = rec.resolve("continuous");
    writeInt16(continuous.resolve("Neuropix-PXI-100.ProbeA-AP/continuous.dat"), (int) (seconds * 30000), channels,
        seed);
    writeInt16(continuous.resolve("Neuropix-PXI-100.ProbeA-LFP/continuous.dat"), (int) (seconds * 2500), channels,
        seed + 1);
  }

  private static void writeInt16(Path dat, int samples, int channels, long seed) throws Exception {
    Random rnd = new Random(seed);
    ByteBuffer b = ByteBuffer.allocate(2 * samples * channels).order(ByteOrder.LITTLE_ENDIAN);
    for (int t = 0; t < samples; t++) {
      for (int c = 0; c < channels; c++) {
        b.putShort((short) Math.round(300 * Math.sin(t / (20.0 + c)) + 40 * rnd.nextGaussian()));
      }
    }
    Files.createDirectories(dat.getParent());
    Files.write(dat, b.array());
  }

  /**
   * A hybrid MEF 3.0 session, encrypted with {@code password}: {@code micro} channels at 30 kHz and
   * two macro contacts at 1 kHz, in 0.1 s blocks.
   */
  static Path mef3(Path dir, String session, int micro, double seconds, String password, long seed) throws Exception {
    List<String> names = new ArrayList<>(List.of("macro1", "macro2"));
    double[] rates = new double[micro + 2];
    double[] scale = new double[micro + 2];
    for (int c = 0; c < rates.length; c++) {
      if (c >= 2) {
        names.add("micro" + (c - 1));
      }
      rates[c] = c < 2 ? 1000 : 30000;
      scale[c] = c < 2 ? 1 : 0.195;
    }
    Files.createDirectories(dir);
    Random rnd = new Random(seed);
    try (Mef3Writer w = new Mef3Writer(dir, session, rates, names, scale).encryptedWith(password)) {
      for (int c = 0; c < rates.length; c++) {
        int block = (int) (rates[c] / 10);
        for (int at = 0; at < seconds * rates[c]; at += block) {
          int[] s = new int[block];
          for (int i = 0; i < block; i++) {
            s[i] = (int) Math.round(500 * Math.sin((at + i) / (25.0 + c)) + 60 * rnd.nextGaussian());
          }
          w.append(c, s, block, 1_700_000_000_000_000L + Math.round(at * 1e6 / rates[c]), false);
        }
      }
      return w.path(dir);
    }
  }

  private static String[] args(Path root, Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("--root", root.toString(), "--out", out.toString(), "--parallelism", "2",
        "--progress-every", "1h"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** What {@code specus preprocess INPUT OPTIONS} writes on its own, to compare the batch's output with. */
  private Path preprocessed(Path input, String name, String... options) {
    Path out = tmp.resolve("alone").resolve(name);
    List<String> a = new ArrayList<>(List.of("preprocess", input.toString(), "-o", out.toString()));
    a.addAll(List.of(options));
    BatchFixtures.Run r = specus(a.toArray(String[]::new));
    assertEquals(0, r.code(), r.out() + r.err());
    return out;
  }

  @Test
  void openEphysAndMefRecordingsAreProcessedAsPreprocessProcessesThem() throws Exception {
    Path root = tmp.resolve("raw");
    openEphys(root.resolve(OE_REC), 12, 1.5, 5);
    Path mefd = mef3(root.resolve("patient7"), "day3", 6, 1.2, "secret", 6);
    String mef = "patient7/day3.mefd [30000Hz]";
    TestRecordings.synth(Files.createDirectories(root.resolve("mouse1")), "a", 1, 16, 7);
    Path out = tmp.resolve("out");

    BatchFixtures.Run dry = batch(args(root, out, "--dry-run", "--mef-password", "secret"));
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().contains("3 recordings found, 3 to process"), dry.out());
    assertTrue(dry.out().contains("process  " + OE_AP + " (1.5 s, 12 ch): no output yet"), dry.out());
    assertTrue(dry.out().contains("process  " + mef + " (1.2 s, 6 ch): no output yet"), dry.out());
    assertFalse(dry.out().contains("LFP"), "the LFP stream is not this chain's input: " + dry.out());
    assertFalse(dry.out().contains("1000Hz"), "nor are the macro contacts: " + dry.out());

    Path report = tmp.resolve("report.json");
    BatchFixtures.Run run = batch(args(root, out, "--report", report.toString(), "--mef-password", "secret"));
    assertEquals(0, run.code(), run.out() + run.err());
    Map<String, Map<String, Object>> rows = rows(readJson(report));
    assertEquals(List.of("mouse1/a_g0_t0.imec0.ap.bin", mef, OE_AP), List.copyOf(rows.keySet()));
    assertEquals(List.of("spikeglx", "mef3", "openephys"), rows.values().stream().map(r -> r.get("format")).toList());
    for (Map<String, Object> row : rows.values()) {
      assertEquals("done", row.get("status"), row.toString());
    }
    Path oeOut = out.resolve(OE_REC + "Neuropix-PXI-100.ProbeA-AP.zarr");
    Path mefOut = out.resolve("patient7/day3.zarr");
    assertTrue(OutputStore.isComplete(oeOut) && OutputStore.isComplete(mefOut));
    assertEquals(45000, Outputs.tracesShape(oeOut)[0]);
    assertEquals(36000, Outputs.tracesShape(mefOut)[0]);
    assertSameOutput(preprocessed(root.resolve(OE_AP), "oe.zarr"), oeOut);
    assertSameOutput(preprocessed(mefd, "mef.zarr", "--stream", "30000Hz", "--mef-password", "secret"), mefOut);
    assertFalse(Files.readString(mefOut.resolve("zarr.json")).contains("secret"), "no password in provenance");
    assertFalse(Files.readString(report).contains("secret"), "no password in the report");
    assertEquals(2, rows.get(mef).get("tiles_total"), "1.2 s in 1 s tiles");
    // Progress counts a session's size as all its files, not the size of its folder entry.
    long sessionBytes = 0;
    try (var files = Files.walk(mefd)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        sessionBytes += Files.size(f);
      }
    }
    assertTrue(sessionBytes > 6 * 36000, "one byte or more per sample: " + sessionBytes);
    assertEquals(sessionBytes, BatchPlanner.inputBytes(mefd));

    BatchFixtures.Run again = batch(args(root, out, "--mef-password", "secret"));
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue(again.out().contains("3 recordings found, 0 to process"), again.out());

    // Without the password the session is listed as it is and fails, named; the others are unaffected.
    BatchFixtures.Run locked = batch(args(root, tmp.resolve("out2"), "--report", report.toString(),
        "--mef-password", ""));
    assertEquals(BatchRunner.EXIT_SOME_FAILED, locked.code());
    Map<String, Map<String, Object>> lockedRows = rows(readJson(report));
    assertEquals("failed", lockedRows.get("patient7/day3.mefd").get("status"));
    assertTrue(String.valueOf(lockedRows.get("patient7/day3.mefd").get("error")).contains("password-protected"),
        lockedRows.toString());
    assertEquals("done", lockedRows.get(OE_AP).get("status"));
    assertFalse(Files.exists(tmp.resolve("out2/patient7/day3.zarr")), "nothing for a session that cannot be opened");
  }

  @Test
  void realNwbOpenEphysAndMefInputsThroughTheBatch() throws Exception {
    Path data = TestRecordings.sharedData();
    Path root = Files.createDirectories(tmp.resolve("raw"));
    Path nwb = data.resolve("nwb/neuroconv-ephy_testing_data/ecephys_tutorial_v2.5.0.nwb");
    Files.createSymbolicLink(root.resolve("tutorial.nwb"), nwb);
    Files.createSymbolicLink(root.resolve("oe"), data.resolve("openephys-binary/v0.5.3_two_neuropixels_stream"));
    Files.createSymbolicLink(root.resolve("enc.mefd"), Mef3Golden.session("enc_both"));
    String[] noOps = {"--bandpass", "none", "--cmr", "none", "--whiten", "none"};
    String oeAp = "oe/Record_Node_107/experiment1/recording1/structure.oebin [Neuropix-PXI-116.0]";

    Path report = tmp.resolve("report.json");
    List<String> a = new ArrayList<>(List.of(args(root, tmp.resolve("out"), "--report", report.toString(),
        "--mef-password", Mef3Golden.PASSWORD)));
    a.addAll(List.of(noOps));
    BatchFixtures.Run run = batch(a.toArray(String[]::new));
    assertEquals(BatchRunner.EXIT_SOME_FAILED, run.code(), run.out() + run.err());
    Map<String, Map<String, Object>> rows = rows(readJson(report));
    // The public snapshot's AP stream lacks its data file; its 2.5 kHz LFP stream is left out, and so
    // is the 256 Hz MEF 3.0 session once its password opens it.
    assertEquals(List.of(oeAp, "tutorial.nwb"), List.copyOf(rows.keySet()));
    String oeError = String.valueOf(rows.get(oeAp).get("error"));
    assertTrue(oeError.contains("Neuropix-PXI-116.0/continuous.dat, which does not exist"), oeError);
    assertEquals("done", rows.get("tutorial.nwb").get("status"), rows.get("tutorial.nwb").toString());
    assertSameOutput(preprocessed(root.resolve("tutorial.nwb"), "nwb.zarr", noOps), tmp.resolve("out/tutorial.zarr"));
  }

  @Test
  void nwbFilesGiveOneOutputPerSpikeBandSeries() throws Exception {
    SystemPython.require("h5py", "python3-h5py");
    Path root = tmp.resolve("raw");
    Path script = Path.of(System.getProperty("specus.root", ".")).resolve("pipelines/src/test/python/make_inputs.py");
    SystemPython.run(List.of(script.toString(), "nwb", root.resolve("s1").toString()));
    SystemPython.run(List.of(script.toString(), "nwb_probes", root.resolve("s1").toString()));
    Path out = tmp.resolve("out");
    Path report = tmp.resolve("report.json");
    BatchFixtures.Run run = batch(args(root, out, "--report", report.toString(), "--tile", "100ms"));
    assertEquals(0, run.code(), run.out() + run.err());
    Map<String, Map<String, Object>> rows = rows(readJson(report));
    // The 2.5 kHz series are left out; a file with one spike-band series keeps its own name.
    assertEquals(List.of("s1/two_probes.nwb [ElectricalSeriesProbeA]", "s1/two_probes.nwb [ElectricalSeriesProbeB]",
        "s1/two_series.nwb [ElectricalSeriesAP]"), List.copyOf(rows.keySet()));
    record Expected(String series, String output, long samples) {}
    for (Expected e : List.of(new Expected("ElectricalSeriesProbeA", "s1/two_probes.ElectricalSeriesProbeA.zarr", 6000),
        new Expected("ElectricalSeriesProbeB", "s1/two_probes.ElectricalSeriesProbeB.zarr", 6000),
        new Expected("ElectricalSeriesAP", "s1/two_series.zarr", 9000))) {
      Path output = out.resolve(e.output());
      assertEquals(e.samples(), Outputs.tracesShape(output)[0], e.output());
      Path nwb = root.resolve(e.output().startsWith("s1/two_probes") ? "s1/two_probes.nwb" : "s1/two_series.nwb");
      assertSameOutput(preprocessed(nwb, e.series() + ".zarr", "--tile", "100ms", "--series", e.series()), output);
    }
  }
  @Test
  void triggerFilesOfAGateAreJoinedWithConcatTriggers() throws Exception {
    Path root = tmp.resolve("raw");
    Path run = Files.createDirectories(root.resolve("m1/trig_g0/trig_g0_imec0"));
    TestRecordings.synth(run, "trig", 1.0, 16, 21);
    // A second trigger file that follows the first on the acquisition clock (firstSample).
    Path second = TestRecordings.synth(Files.createDirectories(tmp.resolve("t1")), "trig", 0.5, 16, 22);
    Files.copy(second, run.resolve("trig_g0_t1.imec0.ap.bin"));
    String meta = Files.readString(second.resolveSibling("trig_g0_t0.imec0.ap.meta"));
    Files.writeString(run.resolve("trig_g0_t1.imec0.ap.meta"),
        meta.replaceAll("(?m)^firstSample=.*$", "firstSample=30000"));
    Path out = tmp.resolve("out");
    BatchFixtures.Run r = batch(args(root, out, "--concat-triggers", "--tile", "250ms"));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("1 recordings found, 1 to process"), r.out());
    assertTrue(r.out().contains("process  m1/trig_g0/trig_g0_imec0/trig_g0_t0.imec0.ap.bin [triggers joined] (1.5 s,"),
        r.out());
    Path output = out.resolve("m1/trig_g0/trig_g0_imec0/trig_g0_tcat.imec0.ap.zarr");
    assertEquals(45000, Outputs.tracesShape(output)[0], "1 s + 0.5 s");
    assertSameOutput(preprocessed(run.resolve("trig_g0_t0.imec0.ap.bin"), "joined.zarr", "--concat-triggers",
        "--tile", "250ms"), output);
    // Apart, as without the option: one output per trigger file.
    BatchFixtures.Run apart = batch(args(root, tmp.resolve("apart"), "--dry-run"));
    assertTrue(apart.out().contains("2 recordings found, 2 to process"), apart.out());
  }
}
