package org.specus.io.mef3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.specus.io.ConcurrentReads;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;

/**
 * Sessions made by {@link Mef3Writer} (no shared data needed) read back exactly; and the writer,
 * given a golden block's samples, makes meflib's bytes, which ties the two to the reference.
 */
class Mef3RoundTripTest {
  static final long T0 = 1_600_000_000_000_000L;

  @TempDir
  Path tmp;

  /**
   * 3 channels: one partial group of the reader's interleaving, in blocks longer than the tail it
   * keeps of each; 37: two whole groups and a partial one, in blocks it keeps whole.
   */
  @ParameterizedTest
  @CsvSource({"3, 10000", "37, 3000"})
  void blocksOfEveryKindReadBackOnTheGrid(int nCh, int block) throws Exception {
    double rate = 30000;
    int blocks = 7;
    int gapSamples = 4500; // a gap of 0.15 s after the fourth block
    Random rnd = new Random(7);
    int total = blocks * block + gapSamples;
    float[] expected = new float[total * nCh];
    List<String> names = IntStream.range(0, nCh).mapToObj(c -> "A" + (c + 1)).toList();
    double[] gains = IntStream.range(0, nCh).mapToDouble(c -> c == 2 ? 1 : 0.195).toArray();
    try (Mef3Writer w = new Mef3Writer(tmp, "rt", rate, names, gains)) {
      for (int c = 0; c < nCh; c++) {
        int value = 0;
        for (int b = 0; b < blocks; b++) {
          int[] s = new int[block];
          for (int i = 0; i < block; i++) {
            // Mostly small steps (one-byte differences), some jumps (key samples), the largest count,
            // and MEF's "no value" (the smallest int), which reads as 0.
            int kind = rnd.nextInt(100);
            if (kind < 90) {
              value += rnd.nextInt(255) - 127;
            } else if (kind < 98) {
              value = rnd.nextInt(1 << 20) - (1 << 19);
            }
            s[i] = kind == 98 ? Integer.MAX_VALUE : kind == 99 ? Integer.MIN_VALUE : value;
            long at = (long) b * block + i + (b >= 4 ? gapSamples : 0);
            expected[(int) at * nCh + c] = kind == 99 ? 0 : s[i];
          }
          long startSample = (long) b * block + (b >= 4 ? gapSamples : 0);
          w.append(c, s, block, T0 + Math.round(startSample * 1e6 / rate), b == 4);
        }
      }
    }
    try (Recording r = Recordings.open(tmp.resolve("rt.mefd"))) {
      assertEquals("mef3", r.format());
      assertEquals(names, r.channelIds(), "natural order: A2 before A10");
      assertEquals(total, r.numSamples());
      assertArrayEquals(gains, r.gainToUv(), 0);
      assertEquals(names.stream().map(c -> c + ": 4500 of " + total + " samples (0.150 s) fall in gaps without data and"
          + " read as 0").toList(), r.warnings());
      float[] all = new float[total * nCh];
      r.readFloat(0, total, all);
      assertArrayEquals(expected, all);
      ConcurrentReads.check(4, 50, total, 9000, (start, count) -> {
        float[] w = new float[count * nCh];
        r.readFloat(start, start + count, w);
        for (int k = 0; k < w.length; k++) {
          assertEquals(expected[start * nCh + k], w[k], "window at " + start);
        }
      });
    }
  }

  /** Decoding a meflib block and encoding its samples again gives the same bytes. */
  @Test
  void theWriterMakesMeflibsBytes() throws Exception {
    for (String name : List.of("plain_single", "multi_segment", "nan_gap_long")) {
      Path tdat = Mef3Golden.session(name).resolve("ch1.timd/ch1-000000.segd/ch1-000000.tdat");
      byte[] file = Files.readAllBytes(tdat);
      int at = 1024;
      while (at < file.length) {
        ByteBuffer h = ByteBuffer.wrap(file, at, RedBlock.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int bytes = h.getInt(at + 36);
        byte[] block = java.util.Arrays.copyOfRange(file, at, at + bytes);
        int[] samples = new int[h.getInt(at + 32)];
        int n = new RedBlock.Decoder().decode(block, bytes, MefKeys.NONE, samples, Integer.MAX_VALUE);
        byte[] again = Mef3Writer.encode(samples, n, h.getLong(at + 40), (file[at + 4] & RedBlock.DISCONTINUITY) != 0);
        // meflib leaves bytes 5-23 of the header (regions, detrend fields) as it leaves them; compare the rest.
        assertArrayEquals(java.util.Arrays.copyOfRange(block, 24, bytes), java.util.Arrays.copyOfRange(again, 24, again.length),
            name + " block at byte " + at);
        at += bytes;
      }
    }
  }
  /**
   * A hybrid session, as clinical systems write them: micro-wires at 30 kHz beside macro contacts at
   * 1 kHz, technical metadata encrypted at level 1. Each rate reads back exactly on its own grid.
   */
  @Test
  void aSessionOfTwoRatesReadsOneRateAtATimeWithItsPassword() throws Exception {
    double[] rates = {1000, 30000, 30000, 1000, 30000};
    List<String> names = List.of("macro1", "micro1", "micro2", "macro2", "micro3");
    double seconds = 0.5;
    int[][] counts = new int[rates.length][];
    Random rnd = new Random(11);
    try (Mef3Writer w = new Mef3Writer(tmp, "hybrid", rates, names, new double[] {1, 0.195, 0.195, 1, 0.195})
        .encryptedWith("secret")) {
      for (int c = 0; c < rates.length; c++) {
        int block = (int) (rates[c] / 10);
        counts[c] = rnd.ints((int) (seconds * rates[c]), -3000, 3000).toArray();
        for (int b = 0; b * block < counts[c].length; b++) {
          int[] s = java.util.Arrays.copyOfRange(counts[c], b * block, (b + 1) * block);
          w.append(c, s, block, T0 + Math.round(b * block * 1e6 / rates[c]), false);
        }
      }
    }
    Path mefd = tmp.resolve("hybrid.mefd");
    RecordingException locked = assertThrows(RecordingException.class,
        () -> Recordings.open(mefd, ReaderOptions.auto().withStream("30000Hz")));
    assertTrue(locked.getMessage().contains("password-protected"), locked.getMessage());
    assertEquals(List.of(new RateGroup("1000Hz", 1000, List.of("macro1", "macro2")),
        new RateGroup("30000Hz", 30000, List.of("micro1", "micro2", "micro3"))),
        Mef3Recording.rateGroups(mefd, "secret"));
    record Group(String stream, int[] channels, double rate) {}
    for (Group g : List.of(new Group("30000Hz", new int[] {1, 2, 4}, 30000),
        new Group("1000", new int[] {0, 3}, 1000))) {
      try (Recording r = Recordings.open(mefd, ReaderOptions.auto().withStream(g.stream()).withPassword("secret"))) {
        assertEquals(g.rate(), r.samplingRate());
        assertEquals(IntStream.of(g.channels()).mapToObj(names::get).toList(), r.channelIds());
        int n = (int) (seconds * g.rate());
        assertEquals(n, r.numSamples());
        float[] got = new float[n * g.channels().length];
        r.readFloat(0, n, got);
        float[] expected = new float[got.length];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < g.channels().length; j++) {
            expected[i * g.channels().length + j] = counts[g.channels()[j]][i];
          }
        }
        assertArrayEquals(expected, got, g.stream());
      }
    }
  }
}
