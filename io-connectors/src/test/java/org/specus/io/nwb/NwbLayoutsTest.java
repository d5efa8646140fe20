package org.specus.io.nwb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.specus.io.ConcurrentReads;
import org.specus.io.SystemPython;

/**
 * The direct reads of {@link Hdf5Rows} against jhdf's slice reads ({@link NwbRecording#readViaSlices},
 * the NWB reader's former read), value for value, on h5py files in every layout and type the reader
 * takes (make_nwb_layouts.py): chunked with gzip, shuffle, no filter, jhdf-decoded filters, chunks
 * narrower and wider than the channels, unwritten chunks, big-endian, contiguous, 1-D, both HDF5 file
 * formats' chunk indexes; windows that
 * cross chunk boundaries, consecutive tiles with margins, concurrent readers; and the reuse of decoded
 * chunks per thread.
 */
class NwbLayoutsTest {
  static final int SAMPLES = 5003;
  static final List<String> CASES = List.of("gzip", "shuffle_gzip", "plain", "contiguous", "narrow", "wide", "missing",
      "missing_plain", "big_endian", "fletcher", "lzf", "compact", "i8", "u8", "u16", "i32", "u32", "i64", "f32", "f64",
      "i32_contiguous", "f64_contiguous", "f64_shuffle", "f32_offset", "i16_offset", "oned", "oned_f32");
  /** Int16 without an offset: readInt16 gives the stored counts. */
  static final Set<String> INT16 = Set.of("gzip", "shuffle_gzip", "plain", "contiguous", "narrow", "wide",
      "big_endian", "fletcher", "lzf", "compact", "oned");
  static Path dir;

  @BeforeAll
  static void writeFixtures() throws Exception {
    SystemPython.require("h5py", "python3-h5py");
    dir = Path.of("target", "nwb-layouts").toAbsolutePath();
    Files.createDirectories(dir);
    SystemPython.run(List.of(SystemPython.script("make_nwb_layouts.py").toString(), dir.toString()));
  }

  static NwbRecording open(String series) {
    return NwbRecording.open(dir.resolve("layouts.nwb"), series);
  }

  /** Windows that start and end on, just before and just after chunk boundaries, and random ones. */
  static List<long[]> windows(long n, long seed) {
    List<long[]> w = new ArrayList<>();
    w.add(new long[] {0, n});
    w.add(new long[] {0, 0});
    w.add(new long[] {10, 10});
    w.add(new long[] {n - 1, n});
    w.add(new long[] {n, n});
    for (long b : new long[] {256, 300, 512, 600, 700, 1400, 2100, 4900}) {
      for (long d : new long[] {-1, 0, 1}) {
        long s = Math.min(n, Math.max(0, b + d));
        w.add(new long[] {s, Math.min(n, s + 1)});
        w.add(new long[] {s, Math.min(n, s + 701)});
        w.add(new long[] {Math.max(0, s - 1500), s});
      }
    }
    Random rnd = new Random(seed);
    for (int i = 0; i < 30; i++) {
      long s = rnd.nextInt((int) n + 1);
      w.add(new long[] {s, s + rnd.nextInt((int) (n - s) + 1)});
    }
    // Consecutive tiles with margins, as the pipeline reads them.
    for (long k = 0; k * 1000 < n; k++) {
      w.add(new long[] {Math.max(0, k * 1000 - 123), Math.min(n, (k + 1) * 1000 + 123)});
    }
    return w;
  }

  @Test
  void everyLayoutAndTypeReadsAsTheSliceReads() throws Exception {
    List<String[]> cases = new ArrayList<>();
    for (String name : CASES) {
      cases.add(new String[] {"layouts.nwb", name});
    }
    for (String name : List.of("gzip", "shuffle_gzip", "wide", "single_chunk", "missing", "missing_plain",
        "contiguous")) {
      cases.add(new String[] {"latest.nwb", name});
    }
    for (String[] c : cases) {
      String name = c[1];
      // The 1.10-format cases hold the values of the same case in layouts.nwb, where jhdf's slice reads
      // also read unwritten chunks (its 1.10 chunk index makes them fail).
      boolean other = c[0].equals("latest.nwb") && CASES.contains(name);
      try (NwbRecording r = NwbRecording.open(dir.resolve(c[0]), name);
          NwbRecording ref = other ? open(name) : NwbRecording.open(dir.resolve(c[0]), name)) {
        assertEquals(!name.equals("compact"), r.readsDirectly(), name);
        int ch = r.numChannels();
        long n = r.numSamples();
        for (long[] w : windows(n, name.hashCode())) {
          int len = Math.toIntExact((w[1] - w[0]) * ch);
          float[] want = new float[len];
          ref.readViaSlices(w[0], w[1], want);
          float[] got = new float[len + 3];
          Arrays.fill(got, len, len + 3, 42f);
          r.readFloat(w[0], w[1], got);
          String where = c[0] + " " + name + " samples " + w[0] + "-" + w[1];
          assertArrayEquals(want, Arrays.copyOf(got, len), where);
          assertArrayEquals(new float[] {42f, 42f, 42f}, Arrays.copyOfRange(got, len, len + 3), where + ": past the end");
          if (INT16.contains(name) || name.equals("single_chunk")) {
            short[] s = new short[len + 1];
            s[len] = 4242;
            r.readInt16(w[0], w[1], s);
            for (int i = 0; i < len; i++) {
              assertEquals((short) want[i], s[i], where + " readInt16 value " + i);
            }
            assertEquals(4242, s[len], where + ": readInt16 past the end");
          } else {
            assertThrows(UnsupportedOperationException.class, () -> r.readInt16(0, 1, new short[ch]), name);
          }
        }
      }
    }
  }

  @Test
  void theCasesHoldWhatTheyClaim() throws Exception {
    for (String[] c : new String[][] {{"gzip", "deflate"}, {"shuffle_gzip", "shuffle+deflate"}, {"plain", "none"},
        {"fletcher", "jhdf"}, {"lzf", "jhdf"}, {"contiguous", "contiguous"}, {"narrow", "deflate"},
        {"f64_shuffle", "shuffle+deflate"}, {"oned_f32", "contiguous"}}) {
      try (NwbRecording r = open(c[0])) {
        assertEquals(c[1], r.rows().decoding(), c[0]);
      }
    }
    try (NwbRecording r = open("missing")) {
      // Unwritten chunks read as zero stored values, i.e. the offset alone.
      float[] f = new float[12];
      r.readFloat(1500, 1501, f);
      assertEquals((float) (1e-4 / 2.5e-6), f[0]);
      r.readFloat(1300, 1301, f);
      assertTrue(f[0] != (float) (1e-4 / 2.5e-6) || f[1] != f[0], "a written chunk");
    }
    try (NwbRecording r = open("f32")) {
      float[] all = new float[(int) r.numSamples() * 12];
      r.readFloat(0, r.numSamples(), all);
      int negativeZeros = 0;
      int nans = 0;
      for (float v : all) {
        negativeZeros += Float.floatToRawIntBits(v) == 0x80000000 ? 1 : 0;
        nans += Float.isNaN(v) ? 1 : 0;
      }
      assertEquals(1, negativeZeros, "float32 -0.0 survives a 2-D read without offset");
      assertEquals(1, nans);
    }
    try (NwbRecording r = open("oned_f32")) {
      float[] all = new float[(int) r.numSamples()];
      r.readFloat(0, r.numSamples(), all);
      for (float v : all) {
        assertTrue(Float.floatToRawIntBits(v) != 0x80000000, "1-D reads add the shift, so -0.0 reads as 0.0");
      }
    }
    try (NwbRecording be = open("big_endian"); NwbRecording i64 = open("i64")) {
      assertEquals("int16", be.storedType());
      assertEquals("int64", i64.storedType());
    }
  }

  @Test
  void tilesWithMarginsDecodeEachChunkOncePerThread() throws Exception {
    for (String name : List.of("gzip", "narrow", "shuffle_gzip", "fletcher")) {
      try (NwbRecording r = open(name)) {
        Hdf5Rows rows = r.rows();
        int ch = r.numChannels();
        long n = r.numSamples();
        for (long k = 0; k * 1000 < n; k++) {
          long from = Math.max(0, k * 1000 - 123);
          long to = Math.min(n, (k + 1) * 1000 + 123);
          r.readFloat(from, to, new float[(int) (to - from) * ch]);
        }
        // gzip: 8 chunks of 700 samples; narrow: 17 bands of 300 samples, 3 chunks across.
        long chunks = name.equals("narrow") ? 17 * 3 : 8;
        assertEquals(chunks, rows.decodedChunks(), name + ": each chunk decoded once, though tiles share them");
      }
    }
    try (NwbRecording r = open("gzip")) {
      Hdf5Rows rows = r.rows();
      r.readFloat(4000, 5003, new float[1003 * 12]); // bands 5, 6, 7
      assertEquals(3, rows.decodedChunks());
      Thread t = new Thread(() -> {
        try {
          r.readFloat(4800, 5003, new float[203 * 12]);
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      t.start();
      t.join();
      assertEquals(5, rows.decodedChunks(), "another thread decodes its own");
      r.readFloat(4300, 5003, new float[703 * 12]); // bands 6 and 7: still this thread's
      assertEquals(5, rows.decodedChunks());
      r.rows().dropThreadState();
      r.readFloat(4300, 5003, new float[703 * 12]);
      assertEquals(7, rows.decodedChunks());
    }
  }

  @Test
  void concurrentReadsOfRandomWindowsAreExact() throws Exception {
    for (String name : List.of("gzip", "narrow", "contiguous", "f64_shuffle")) {
      try (NwbRecording r = open(name)) {
        int ch = r.numChannels();
        int n = (int) r.numSamples();
        float[] all = new float[n * ch];
        r.readViaSlices(0, n, all);
        ConcurrentReads.check(4, 150, n, 1500, (start, count) -> {
          float[] got = new float[count * ch];
          r.readFloat(start, start + count, got);
          assertArrayEquals(Arrays.copyOfRange(all, start * ch, (start + count) * ch), got,
              name + " samples " + start + "+" + count);
        });
      }
    }
  }

  @Test
  void aCorruptChunkIsAnIoErrorThatNamesIt() throws Exception {
    try (NwbRecording r = NwbRecording.open(dir.resolve("corrupt.nwb"), "gzip")) {
      float[] f = new float[1000 * 12];
      r.readFloat(0, 1000, f); // chunks 0 and 1 are intact
      IOException e = assertThrows(IOException.class, () -> r.readFloat(2000, 3000, f));
      assertTrue(e.getMessage().startsWith("corrupt.nwb/acquisition/gzip/data: the chunk at samples 2100-2800"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      r.readFloat(2800, 3800, f); // and the reader goes on
    }
  }
}
