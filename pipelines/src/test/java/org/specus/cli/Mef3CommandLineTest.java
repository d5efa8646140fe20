package org.specus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.specus.cli.InputSelectionCommandLineTest.NO_OPS;
import static org.specus.cli.InputSelectionCommandLineTest.assertSameValues;
import static org.specus.cli.InputSelectionCommandLineTest.assertShape;
import static org.specus.cli.InputSelectionCommandLineTest.channelIds;
import static org.specus.cli.InputSelectionCommandLineTest.gains;
import static org.specus.cli.InputSelectionCommandLineTest.traces;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.mef3.Mef3Golden;
import org.specus.io.output.OutputStore;

/**
 * {@code specus info} and {@code specus preprocess} on the golden MEF 3.0 sessions of
 * {@code ../shared/data/mef3} and on one made by the test suite's writer: the output of a run
 * without operations holds the reference reader's counts (0 in gaps), a real chain gives the same
 * bytes as on those counts written as a headerless int32 file, and encrypted or damaged sessions
 * fail in one line without a complete output.
 */
class Mef3CommandLineTest {
  @TempDir static Path tmp;

  static CommandLineTest.Result preprocess(Path in, String name, List<String> chain, String... options) {
    List<String> args = new ArrayList<>(List.of("preprocess", in.toString(), "-o", tmp.resolve(name).toString()));
    args.addAll(chain);
    args.addAll(List.of(options));
    return CommandLineTest.run(args.toArray(String[]::new));
  }

  static Path succeeded(CommandLineTest.Result r, String name) {
    assertEquals(0, r.code(), name + ": " + r.err());
    assertTrue(OutputStore.isComplete(tmp.resolve(name)), name + " must be complete");
    return tmp.resolve(name);
  }

  @Test
  void channelsKeepTheirNamesScalesAndCounts() throws Exception {
    Path copy = succeeded(preprocess(Mef3Golden.session("multi_channel"), "mc.zarr", NO_OPS), "mc.zarr");
    assertShape(copy, 2000, 2, 256);
    assertEquals(List.of("ch1", "ch2"), channelIds(copy));
    assertArrayEquals(new double[] {0.001, 0.01}, gains(copy), 1e-15, "units conversion factors, in uV");
    float[] ch1 = Mef3Golden.countsWithGapsAsZero("multi_channel", "ch1");
    float[] ch2 = Mef3Golden.countsWithGapsAsZero("multi_channel", "ch2");
    float[] both = new float[2 * ch1.length];
    for (int i = 0; i < ch1.length; i++) {
      both[2 * i] = ch1[i];
      both[2 * i + 1] = ch2[i];
    }
    assertSameValues(both, traces(copy), 2, "multi_channel");
  }

  @Test
  void gapsReadAsZeroAndAreReported() throws Exception {
    CommandLineTest.Result r = preprocess(Mef3Golden.session("multi_segment"), "gap.zarr", NO_OPS);
    Path copy = succeeded(r, "gap.zarr");
    assertTrue(r.out().contains("  warning: ch1: 256 of 4256 samples (1.000 s) fall in gaps without data and read as 0"),
        r.out());
    assertSameValues(Mef3Golden.countsWithGapsAsZero("multi_segment", "ch1"), traces(copy), 1, "multi_segment");

    // A real chain, on tiles shorter than its margins, equals the same chain on the same counts from a plain file.
    List<String> chain = List.of("--highpass", "20", "--filter-order", "3", "--cmr", "none", "--whiten", "none",
        "--tile", "0.25s");
    float[] counts = Mef3Golden.countsWithGapsAsZero("multi_segment", "ch1");
    ByteBuffer b = ByteBuffer.allocate(4 * counts.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : counts) {
      b.putInt((int) v);
    }
    Path raw = tmp.resolve("multi_segment.i32");
    Files.write(raw, b.array());
    Path viaMef = succeeded(preprocess(Mef3Golden.session("multi_segment"), "gap-chain.zarr", chain), "gap-chain.zarr");
    Path viaRaw = succeeded(preprocess(raw, "gap-chain-raw.zarr", chain, "--format-in", "raw", "--raw-dtype", "int32",
        "--raw-channels", "1", "--raw-rate", "256", "--raw-gain", "0.001"), "gap-chain-raw.zarr");
    assertSameValues(traces(viaRaw), traces(viaMef), 1, "MEF 3.0 against the same counts as int32");
  }

  @Test
  void anEncryptedSessionOpensWithEitherPassword() throws Exception {
    Path s = Mef3Golden.session("enc_both");
    CommandLineTest.Result refused = preprocess(s, "enc-none.zarr", NO_OPS);
    CommandLineTest.assertOneLineError(refused, "ch1-000000.tmet", "password-protected", "--mef-password");
    assertFalse(Files.exists(tmp.resolve("enc-none.zarr")), "a refused input leaves no output");
    float[] expected = Mef3Golden.countsWithGapsAsZero("enc_both", "ch1");
    for (String password : List.of("pass1", "pass2")) {
      String name = "enc-" + password + ".zarr";
      Path out = succeeded(preprocess(s, name, NO_OPS, "--mef-password", password), name);
      assertSameValues(expected, traces(out), 1, password);
      assertFalse(Files.readString(out.resolve("zarr.json")).contains(password), "the password stays out of provenance");
    }
    CommandLineTest.Result info = CommandLineTest.run("info", s.toString(), "--mef-password", "pass1");
    assertEquals(0, info.code(), info.err());
    assertTrue(info.out().contains("unknown (the password does not open level 2)"), info.out());
  }

  @Test
  void aDamagedBlockFailsTheRunWithoutACompleteOutput() throws Exception {
    Path s = Mef3Golden.copy("plain_single", Files.createDirectories(tmp.resolve("damaged")));
    try (RandomAccessFile f = new RandomAccessFile(s.resolve("ch1.timd/ch1-000000.segd/ch1-000000.tdat").toFile(), "rw")) {
      f.seek(1024 + 2000);
      int v = f.read();
      f.seek(1024 + 2000);
      f.write(v ^ 0x5A);
    }
    CommandLineTest.Result r = preprocess(s, "damaged.zarr", NO_OPS);
    CommandLineTest.assertOneLineError(r, "ch1-000000.tdat", "block 0 at byte 1024", "checksum mismatch");
    assertFalse(OutputStore.isComplete(tmp.resolve("damaged.zarr")), "no output may claim to be complete");
  }

  /**
   * A session from the test suite's writer (runs without ../shared): 4 channels at 30 kHz in 0.1 s
   * blocks with a 0.05 s gap; a real chain on it equals the chain on its counts as a headerless
   * int32 file, gap zeros included.
   */
  @Test
  void aWrittenSessionGivesTheBytesOfTheSameCounts() throws Exception {
    int nCh = 4;
    int block = 3000;
    int blocks = 12;
    int gap = 1500;
    int total = blocks * block + gap;
    int[] counts = new int[total * nCh];
    java.util.Random rnd = new java.util.Random(3);
    Path dir = Files.createDirectories(tmp.resolve("written"));
    List<String> names = List.of("e1", "e2", "e3", "e4");
    try (org.specus.io.mef3.Mef3Writer w = new org.specus.io.mef3.Mef3Writer(dir, "w", 30000, names,
        new double[] {0.195, 0.195, 0.195, 0.195})) {
      for (int c = 0; c < nCh; c++) {
        for (int b = 0; b < blocks; b++) {
          long at = (long) b * block + (b >= 6 ? gap : 0);
          int[] s = new int[block];
          for (int i = 0; i < block; i++) {
            s[i] = (int) (400 * Math.sin((at + i) / (30.0 + c)) + rnd.nextGaussian() * 20) + (b == 9 ? 5000 : 0);
            counts[(int) (at + i) * nCh + c] = s[i];
          }
          w.append(c, s, block, 1_600_000_000_000_000L + Math.round(at * 1e6 / 30000), b == 6);
        }
      }
    }
    ByteBuffer raw = ByteBuffer.allocate(4 * counts.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : counts) {
      raw.putInt(v);
    }
    Path rawFile = tmp.resolve("written.i32");
    Files.write(rawFile, raw.array());
    List<String> chain = List.of("--highpass", "300", "--filter-order", "3", "--cmr", "median", "--whiten", "none",
        "--tile", "0.1s");
    CommandLineTest.Result r = preprocess(dir.resolve("w.mefd"), "written.zarr", chain);
    Path viaMef = succeeded(r, "written.zarr");
    assertTrue(r.out().contains("  warning: e1: 1500 of 37500 samples (0.050 s) fall in gaps without data and read as 0"),
        r.out());
    assertEquals(names, channelIds(viaMef));
    Path viaRaw = succeeded(preprocess(rawFile, "written-raw.zarr", chain, "--format-in", "raw", "--raw-dtype", "int32",
        "--raw-channels", "4", "--raw-rate", "30000", "--raw-gain", "0.195"), "written-raw.zarr");
    assertSameValues(traces(viaRaw), traces(viaMef), nCh, "MEF 3.0 against the same counts as int32");
  }

  /**
   * {@code specus info} on a session whose channels are sampled at two rates lists each rate, with
   * what it holds, instead of stopping at the error that asks for {@code --stream}; with a rate
   * chosen it describes that one.
   */
  @Test
  void infoListsTheRatesOfAMixedSession() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mixed"));
    try (org.specus.io.mef3.Mef3Writer w = new org.specus.io.mef3.Mef3Writer(dir, "mixed",
        new double[] {1000, 30000, 30000}, List.of("macro", "m1", "m2"), new double[] {1, 0.195, 0.195})) {
      for (int c = 0; c < 3; c++) {
        int n = c == 0 ? 500 : 15000; // 0.5 s at each rate
        w.append(c, new int[n], n, 1_600_000_000_000_000L, false);
      }
    }
    Path session = dir.resolve("mixed.mefd");
    CommandLineTest.Result all = CommandLineTest.run("info", session.toString());
    assertEquals(0, all.code(), all.err());
    assertEquals(session + " holds 2 recordings; choose one with --stream:\n"
        + "  --stream 1000Hz  1 channel at 1000 Hz, 500 samples (0.500 s)\n"
        + "  --stream 30000Hz  2 channels at 30000 Hz, 15000 samples (0.500 s)\n", all.out());
    CommandLineTest.Result one = CommandLineTest.run("info", session.toString(), "--stream", "30000Hz");
    assertEquals(0, one.code(), one.err());
    assertTrue(one.out().contains("m1, m2"), one.out());
    // preprocess still refuses to guess
    CommandLineTest.Result run = preprocess(session, "mixed.zarr", NO_OPS);
    assertEquals(2, run.code(), run.out());
    assertTrue(run.err().contains("choose one with --stream, e.g. --stream 30000Hz"), run.err());
  }
}
