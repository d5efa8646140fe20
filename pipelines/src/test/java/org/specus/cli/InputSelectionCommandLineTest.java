package org.specus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import org.specus.io.SystemPython;
import org.specus.io.TestData;
import org.specus.io.npy.Npy;
import org.specus.io.output.OutputStore;
import org.specus.io.zarr.ZarrV3Reader;
import org.specus.pipeline.Outputs;

/**
 * {@code specus preprocess} through {@link Main} on every input format, with the options that say
 * which signal to read ({@code --stream}, {@code --series}, {@code --concat-triggers},
 * {@code --raw-*}, {@code --format-in}).
 *
 * <p>Each selection is checked twice: a run with no operations (a float32 copy) must hold exactly the
 * selected samples, as read from the files by other means (the bytes, a numpy reference, CatGT's
 * concatenation, another reader); and a real chain (highpass, median reference, tiles shorter than
 * the filter margins, so that reads cross chunk and file boundaries) must give the same bytes as the
 * same chain on the same samples read another way. A wrong or missing selection fails in one line
 * that lists the choices, and leaves no output.
 */
class InputSelectionCommandLineTest {
  @TempDir static Path tmp;

  static final String OE_TWO_STREAMS = "openephys-binary/v0.5.3_two_neuropixels_stream/Record_Node_107/experiment1/recording1";
  static final String NOISE4SAM = "spikeglx/recordings/Noise4Sam_g0/Noise4Sam_g0_imec0/Noise4Sam_g0_t0.imec0.ap.bin";
  static final String TRIGGERS = "spikeglx/recordings/multi_trigger_multi_gate/";
  static final String CI0_G0 = TRIGGERS + "SpikeGLX/5-19-2022-CI0/5-19-2022-CI0_g0/5-19-2022-CI0_g0_imec0/";
  static final String CI0_CATGT = TRIGGERS + "CatGT/CatGT-A/catgt_5-19-2022-CI0_g0/5-19-2022-CI0_g0_imec0/"
      + "5-19-2022-CI0_g0_tcat.imec0.ap.bin";

  /** Nothing but the copy to float32: the output holds the reader's values. */
  static final List<String> NO_OPS = List.of("--bandpass", "none", "--cmr", "none", "--whiten", "none");

  /** A cheap real chain; tiles shorter than the highpass margin, so every tile reads its neighbours. */
  static List<String> chain(String tile) {
    return List.of("--highpass", "300", "--filter-order", "3", "--cmr", "median", "--whiten", "none", "--tile", tile);
  }

  static CommandLineTest.Result preprocessRun(Path in, Path out, List<String> chain, String... inputOptions) {
    List<String> args = new ArrayList<>(List.of("preprocess", in.toString(), "-o", out.toString()));
    args.addAll(chain);
    args.addAll(List.of(inputOptions));
    return CommandLineTest.run(args.toArray(String[]::new));
  }

  /** Runs {@code preprocess} into {@code tmp/name}, which must succeed and be complete. */
  static Path preprocess(Path in, String name, List<String> chain, String... inputOptions) {
    Path out = tmp.resolve(name);
    CommandLineTest.Result r = preprocessRun(in, out, chain, inputOptions);
    assertEquals(0, r.code(), name + ": " + r.err());
    assertTrue(OutputStore.isComplete(out), name + " must be complete");
    return out;
  }

  /** Runs {@code preprocess} into {@code tmp/name}, which must fail in one line mentioning each string, writing nothing. */
  static String refused(Path in, String name, List<String> mustContain, String... inputOptions) {
    Path out = tmp.resolve(name);
    CommandLineTest.Result r = preprocessRun(in, out, NO_OPS, inputOptions);
    CommandLineTest.assertOneLineError(r, mustContain.toArray(String[]::new));
    assertFalse(Files.exists(out), name + ": a refused selection must leave no output");
    return r.err().strip();
  }

  static float[] traces(Path out) throws IOException {
    return Outputs.traces(out);
  }

  static void assertShape(Path out, long samples, int channels, double rate) throws IOException {
    assertArrayEquals(new long[] {samples, channels}, Outputs.tracesShape(out), out.getFileName() + " shape");
    assertEquals(rate, ((Number) Outputs.rootAttributes(out).get("sampling_frequency")).doubleValue(), 0.0,
        out.getFileName() + " sampling_frequency");
  }

  static List<String> channelIds(Path out) throws IOException {
    return List.of(ZarrV3Reader.open(out.resolve("channel_ids")).readStrings());
  }

  static double[] gains(Path out) throws IOException {
    return ZarrV3Reader.open(out.resolve("properties/gain_to_uV")).readDoubles();
  }

  static double[] locations(Path out) throws IOException {
    return ZarrV3Reader.open(out.resolve("properties/location")).readDoubles();
  }

  /** Little-endian int16 values after {@code offset} bytes, keeping the first {@code keep} of every {@code stored} columns. */
  static float[] int16Values(Path file, long offset, int stored, int keep) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int samples = Math.toIntExact((b.capacity() - offset) / (2L * stored));
    float[] out = new float[samples * keep];
    for (int i = 0; i < samples; i++) {
      for (int c = 0; c < keep; c++) {
        out[i * keep + c] = b.getShort(Math.toIntExact(offset + 2L * ((long) i * stored + c)));
      }
    }
    return out;
  }

  static float[] float32Values(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.capacity() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  /** Exact equality, reporting the first difference with its sample and channel. */
  static void assertSameValues(float[] expected, float[] got, int channels, String what) {
    assertEquals(expected.length, got.length, what + ": value count");
    for (int k = 0; k < expected.length; k++) {
      if (Float.floatToIntBits(expected[k]) != Float.floatToIntBits(got[k])) {
        throw new AssertionError(what + ": sample " + k / channels + " channel " + k % channels + ": expected "
            + expected[k] + ", got " + got[k]);
      }
    }
  }

  static List<String> ids(String prefix, int from, int step, int n) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      out.add(prefix + (from + k * step));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void openEphysStreamsAreChosenByName() throws Exception {
    Path real = TestData.require(OE_TWO_STREAMS);
    String streams = "Neuropix-PXI-116.0, Neuropix-PXI-116.1";
    refused(real, "oe-unnamed.zarr", List.of("structure.oebin", "2 continuous streams (" + streams + ")", "--stream"));
    refused(real, "oe-wrong.zarr", List.of("no continuous stream named 'ProbeZ'", "(streams: " + streams + ")"),
        "--stream", "ProbeZ");
    // The public snapshot lacks the AP stream's data file.
    refused(real, "oe-missing.zarr", List.of("Neuropix-PXI-116.0/continuous.dat, which does not exist"),
        "--stream", "Neuropix-PXI-116.0");

    // A copy whose AP stream holds real NP1.0 AP signal (Noise4Sam's 384 channels, its sync word left out).
    Path rec = Files.createDirectories(tmp.resolve("oe/Record_Node_107/experiment1/recording1"));
    Files.copy(real.resolve("structure.oebin"), rec.resolve("structure.oebin"));
    Path lfDat = Files.createDirectories(rec.resolve("continuous/Neuropix-PXI-116.1")).resolve("continuous.dat");
    Files.copy(real.resolve("continuous/Neuropix-PXI-116.1/continuous.dat"), lfDat);
    float[] ap = int16Values(TestData.require(NOISE4SAM), 0, 385, 384);
    Path apDat = Files.createDirectories(rec.resolve("continuous/Neuropix-PXI-116.0")).resolve("continuous.dat");
    ByteBuffer b = ByteBuffer.allocate(ap.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : ap) {
      b.putShort((short) v);
    }
    Files.write(apDat, b.array());

    record Stream(String name, Path dat, double rate, long samples, String idPrefix, String tile) {}
    for (Stream s : List.of(new Stream("Neuropix-PXI-116.0", apDat, 30000, 1155, "AP", "10ms"),
        new Stream("Neuropix-PXI-116.1", lfDat, 2500, 2500, "LFP", "400ms"))) {
      Path copy = preprocess(rec, "oe-" + s.name() + ".zarr", NO_OPS, "--stream", s.name());
      assertShape(copy, s.samples(), 384, s.rate());
      assertEquals(ids(s.idPrefix(), 1, 1, 384), channelIds(copy));
      double[] g = gains(copy);
      assertTrue(Arrays.stream(g).allMatch(v -> v == 0.19499999284744263), "bit_volts as µV per count");
      assertSameValues(int16Values(s.dat(), 0, 384, 384), traces(copy), 384, s.name());

      // The chain on the stream equals the chain on its continuous.dat read as a headerless binary.
      Path viaStream = preprocess(rec, "oe-chain-" + s.name() + ".zarr", chain(s.tile()), "--stream", s.name());
      Path viaRaw = preprocess(s.dat(), "oe-chain-raw-" + s.name() + ".zarr", chain(s.tile()), "--format-in", "raw",
          "--raw-dtype", "int16", "--raw-channels", "384", "--raw-rate", Double.toString(s.rate()));
      assertSameValues(traces(viaRaw), traces(viaStream), 384, s.name() + " chain");
    }

    // A stream's continuous.dat names its stream: another --stream is a contradiction, not a choice.
    refused(lfDat, "oe-contradiction.zarr", List.of("continuous.dat", "is the data of stream Neuropix-PXI-116.1",
        "--stream asks for Neuropix-PXI-116.0"), "--stream", "Neuropix-PXI-116.0");
    // An output made from one stream is not taken over by a run of the other.
    Path lf = tmp.resolve("oe-Neuropix-PXI-116.1.zarr");
    CommandLineTest.Result r = preprocessRun(rec, lf, NO_OPS, "--stream", "Neuropix-PXI-116.0");
    CommandLineTest.assertOneLineError(r, "different result", "made from another input");
    assertTrue(OutputStore.isComplete(lf));
    assertShape(lf, 2500, 384, 2500);
  }

  @Test
  void nwbSeriesAreChosenByName() throws Exception {
    SystemPython.require("h5py", "python3-h5py");
    Path dir = tmp.resolve("nwb");
    SystemPython.run(List.of(script().toString(), "nwb", dir.toString()));
    Path nwb = dir.resolve("two_series.nwb");
    String both = "ElectricalSeriesAP, ElectricalSeriesLF";
    refused(nwb, "nwb-unnamed.zarr", List.of("two_series.nwb", "2 ElectricalSeries under /acquisition (" + both + ")",
        "--series"));
    refused(nwb, "nwb-wrong.zarr", List.of("no ElectricalSeries /acquisition/Nope (found: " + both + ")"),
        "--series", "Nope");

    // AP: int16 counts with a per-channel conversion; read through --format-in from a name that does not say NWB.
    Path h5 = Files.copy(nwb, dir.resolve("two_series.h5"));
    Path ap = preprocess(h5, "nwb-ap.zarr", NO_OPS, "--format-in", "nwb", "--series", "ElectricalSeriesAP");
    assertShape(ap, 9000, 32, 30000);
    assertEquals(ids("", 200, 1, 32), channelIds(ap));
    double[] g = gains(ap);
    for (int c = 0; c < 32; c++) {
      assertEquals(c % 2 == 0 ? 2.34375 : 1.171875, g[c], 1e-12, "gain of channel " + c);
    }
    assertArrayEquals(new double[] {11, 0}, Arrays.copyOfRange(locations(ap), 2, 4), "rel_x/rel_y of channel 1");
    assertSameValues(int16Values(dir.resolve("ap.i16"), 0, 32, 32), traces(ap), 32, "ElectricalSeriesAP");
    // 300-sample tiles on 1000-sample chunks: margins cross chunk boundaries.
    Path apChain = preprocess(nwb, "nwb-ap-chain.zarr", chain("10ms"), "--series", "ElectricalSeriesAP");
    Path apRaw = preprocess(dir.resolve("ap.i16"), "nwb-ap-raw.zarr", chain("10ms"), "--format-in", "raw",
        "--raw-dtype", "int16", "--raw-channels", "32", "--raw-rate", "30000");
    assertSameValues(traces(apRaw), traces(apChain), 32, "ElectricalSeriesAP chain");

    // LF: offset folded into the values (numpy computed the same float32 values), every other electrode.
    Path lf = preprocess(nwb, "nwb-lf.zarr", NO_OPS, "--series", "ElectricalSeriesLF");
    assertShape(lf, 750, 16, 2500);
    assertEquals(ids("", 200, 2, 16), channelIds(lf));
    assertEquals(4.6875, gains(lf)[0], 1e-12);
    assertArrayEquals(new double[] {59, 20}, Arrays.copyOfRange(locations(lf), 2, 4), "electrode row 2");
    assertSameValues(float32Values(dir.resolve("lf.f32")), traces(lf), 16, "ElectricalSeriesLF");
    Path lfChain = preprocess(nwb, "nwb-lf-chain.zarr", chain("100ms"), "--series", "ElectricalSeriesLF");
    Path lfRaw = preprocess(dir.resolve("lf.f32"), "nwb-lf-raw.zarr", chain("100ms"), "--format-in", "raw",
        "--raw-dtype", "float32", "--raw-channels", "16", "--raw-rate", "2500");
    assertSameValues(traces(lfRaw), traces(lfChain), 16, "ElectricalSeriesLF chain");
  }

  @Test
  void rawBinaryWithAHeader() throws Exception {
    Path yass = TestData.require("raw-binary/yass/neuropixel.bin");
    Path positions = yass.resolveSibling("neuropixel_channels.npy");
    // The real 10-channel snippet behind a 512-byte header that would be visible if read as samples.
    byte[] header = new byte[512];
    Arrays.fill(header, (byte) 0x7f);
    byte[] text = "SPECUS TEST HEADER".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, header, 0, text.length);
    Path withHeader = tmp.resolve("raw/yass_with_header.i16");
    Files.createDirectories(withHeader.getParent());
    Files.write(withHeader, header);
    Files.write(withHeader, Files.readAllBytes(yass), java.nio.file.StandardOpenOption.APPEND);

    String[] layout = {"--raw-dtype", "int16", "--raw-channels", "10", "--raw-rate", "30000"};
    refused(withHeader, "raw-undetected.zarr", List.of("yass_with_header.i16", "unknown recording format"));
    refused(withHeader, "raw-norate.zarr", List.of("yass_with_header.i16", "give --raw-rate"), "--format-in", "raw",
        "--raw-dtype", "int16", "--raw-channels", "10");
    refused(withHeader, "raw-badoffset.zarr", List.of("yass_with_header.i16", "not a whole number of samples"),
        concat(new String[] {"--format-in", "raw", "--raw-offset", "500"}, layout));

    String[] full = concat(new String[] {"--format-in", "raw", "--raw-offset", "512", "--raw-gain", "2.34375",
        "--raw-positions", positions.toString()}, layout);
    Path copy = preprocess(withHeader, "raw-copy.zarr", NO_OPS, full);
    assertShape(copy, 10000, 10, 30000);
    assertEquals(ids("", 0, 1, 10), channelIds(copy));
    assertTrue(Arrays.stream(gains(copy)).allMatch(v -> v == 2.34375), "--raw-gain");
    assertArrayEquals(Npy.read(positions).values(), locations(copy), "--raw-positions");
    assertSameValues(int16Values(yass, 0, 10, 10), traces(copy), 10, "after the header");

    // The chain on the headered file equals the chain on the headerless original.
    Path chained = preprocess(withHeader, "raw-chain.zarr", chain("10ms"), full);
    Path original = preprocess(yass, "raw-chain-original.zarr", chain("10ms"), layout);
    assertSameValues(traces(original), traces(chained), 10, "headered vs headerless");

    // Other positions are another input: the finished output is not resumed with them.
    CommandLineTest.Result r = preprocessRun(withHeader, tmp.resolve("raw-copy.zarr"), NO_OPS,
        concat(new String[] {"--format-in", "raw", "--raw-offset", "512", "--raw-gain", "2.34375"}, layout));
    CommandLineTest.assertOneLineError(r, "different result", "made from another input");
    assertTrue(OutputStore.isComplete(tmp.resolve("raw-copy.zarr")));
  }

  @Test
  void spikeGlxTriggersAreConcatenated() throws Exception {
    Path t0 = TestData.require(CI0_G0 + "5-19-2022-CI0_g0_t0.imec0.ap.bin");
    Path t1 = t0.resolveSibling("5-19-2022-CI0_g0_t1.imec0.ap.bin");
    Path catgt = TestData.require(CI0_CATGT);

    CommandLineTest.Result one = CommandLineTest.run("info", t0.toString());
    assertEquals(0, one.code(), one.err());
    assertTrue(one.out().matches("(?s).*samples\\s+300\\n.*"), one.out());
    CommandLineTest.Result run = CommandLineTest.run("info", t0.toString(), "--concat-triggers");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().matches("(?s).*samples\\s+599\\n.*"), run.out());
    refused(catgt, "trig-notatrigger.zarr", List.of("--concat-triggers needs a trigger file named"), "--concat-triggers");

    // t1 starts one sample before t0 ends: CatGT keeps 299 + 300 samples, and so must the run.
    // (CatGT's file is not a reference for the values: its samples differ from the t-files' by up to 37 counts.)
    Path copy = preprocess(t0, "trig-copy.zarr", NO_OPS, "--concat-triggers");
    assertShape(copy, 599, 384, 30000.061088);
    try (Recording r = Recordings.open(catgt)) {
      assertEquals(r.numSamples(), Outputs.tracesShape(copy)[0], "CatGT's sample count");
    }
    assertTrue(Arrays.stream(gains(copy)).allMatch(v -> v == 2.34375), "NP1.0 AP gain");
    float[] joined = new float[599 * 384];
    System.arraycopy(int16Values(t0, 0, 385, 384), 0, joined, 0, 299 * 384);
    System.arraycopy(int16Values(t1, 0, 385, 384), 0, joined, 299 * 384, 300 * 384);
    assertSameValues(joined, traces(copy), 384, "t0[:299] + t1");

    // Any trigger names the run; 150-sample tiles put the join inside a tile and inside margins. The
    // same samples written as one headerless file give the same bytes.
    Path joinedFile = tmp.resolve("trig/joined.i16");
    Files.createDirectories(joinedFile.getParent());
    ByteBuffer b = ByteBuffer.allocate(joined.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : joined) {
      b.putShort((short) v);
    }
    Files.write(joinedFile, b.array());
    Path chained = preprocess(t1, "trig-chain.zarr", chain("5ms"), "--concat-triggers");
    Path viaRaw = preprocess(joinedFile, "trig-chain-raw.zarr", chain("5ms"), "--format-in", "raw", "--raw-dtype",
        "int16", "--raw-channels", "384", "--raw-rate", "30000.061088");
    assertSameValues(traces(viaRaw), traces(chained), 384, "chain on the run vs on the joined samples");
  }

  @Test
  void zarrV2Input() throws Exception {
    SystemPython.require("zarr", "python3-zarr");
    Path n4s = TestData.require(NOISE4SAM);
    Path store = tmp.resolve("zarr/n4s.zarr");
    SystemPython.run(List.of(script().toString(), "zarr2", n4s.toString(), "385", "30000", "2.34375", store.toString()));
    Path copy = preprocess(store, "zarr-copy.zarr", NO_OPS);
    assertShape(copy, 1155, 384, 30000);
    assertEquals(ids("AP", 0, 1, 384), channelIds(copy));
    assertTrue(Arrays.stream(gains(copy)).allMatch(v -> v == 2.34375));
    assertArrayEquals(new double[] {59, 20}, Arrays.copyOfRange(locations(copy), 4, 6), "properties/location");
    assertSameValues(int16Values(n4s, 0, 385, 384), traces(copy), 384, "traces_seg0");

    // 300-sample tiles on 400-sample chunks; the SpikeGLX file is the same samples read another way.
    Path chained = preprocess(store, "zarr-chain.zarr", chain("10ms"), "--format-in", "zarr");
    Path viaSpikeGlx = preprocess(n4s, "zarr-chain-spikeglx.zarr", chain("10ms"));
    assertSameValues(traces(viaSpikeGlx), traces(chained), 384, "Zarr v2 vs SpikeGLX");
    // Specus's own Zarr v3 output (the float32 copy) read back as an input: the same again.
    Path fromV3 = preprocess(copy, "zarr-chain-v3.zarr", chain("10ms"));
    assertSameValues(traces(viaSpikeGlx), traces(fromV3), 384, "Zarr v3 vs SpikeGLX");

    // SpikeInterface's default compressor (Blosc zstd + bitshuffle): the same samples again.
    Path blosc = tmp.resolve("zarr/n4s-blosc.zarr");
    SystemPython.run(List.of(script().toString(), "zarr2", n4s.toString(), "385", "30000", "2.34375", blosc.toString(),
        "blosc"));
    Path fromBlosc = preprocess(blosc, "zarr-chain-blosc.zarr", chain("10ms"));
    assertSameValues(traces(viaSpikeGlx), traces(fromBlosc), 384, "Blosc Zarr v2 vs SpikeGLX");
  }

  @Test
  void optionsForAnotherReaderAreRefused() {
    Path n4s = TestData.require(NOISE4SAM);
    Path oe = TestData.require(OE_TWO_STREAMS);
    refused(n4s, "misuse-stream.zarr", List.of("Noise4Sam_g0_t0.imec0.ap.bin", "read as spikeglx",
        "does not use --stream (Open Ephys, MEF 3.0)"), "--stream", "Neuropix-PXI-116.1");
    refused(oe, "misuse-series.zarr", List.of("recording1", "read as openephys", "--series (NWB)"),
        "--stream", "Neuropix-PXI-116.1", "--series", "ElectricalSeries");
    refused(oe, "misuse-concat.zarr", List.of("--concat-triggers (SpikeGLX)"), "--stream", "Neuropix-PXI-116.1",
        "--concat-triggers");
    // A .bin with its .meta is SpikeGLX; a headerless layout for it is a mistake unless asked for.
    refused(n4s, "misuse-raw.zarr", List.of("does not use --raw-* (headerless binary)", "add --format-in raw"),
        "--raw-dtype", "int16", "--raw-channels", "385", "--raw-rate", "30000");
  }

  static Path script() {
    return Path.of(System.getProperty("specus.root", ".")).resolve("pipelines/src/test/python/make_inputs.py");
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
