package org.specus.io.spikeglx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ConcurrentReads;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import org.specus.io.TestData;

/** {@code readInt16} against an independent sample-by-sample read of the same bytes. */
class SpikeGlxReadTest {

  private static final String NOISE4SAM_AP = "spikeglx/recordings/Noise4Sam_g0/Noise4Sam_g0_imec0/Noise4Sam_g0_t0.imec0.ap.bin";

  /** All words of the file, [sample][saved channel], read with a DataInputStream (big-endian, swapped by hand). */
  private static short[][] independentRead(Path bin, int nSaved) throws IOException {
    long samples = Files.size(bin) / (2L * nSaved);
    short[][] all = new short[(int) samples][nSaved];
    try (InputStream in = new BufferedInputStream(Files.newInputStream(bin));
        DataInputStream data = new DataInputStream(in)) {
      for (short[] row : all) {
        for (int c = 0; c < nSaved; c++) {
          row[c] = Short.reverseBytes(data.readShort());
        }
      }
    }
    return all;
  }

  private static void assertRange(Recording rec, short[][] expected, long start, long end) throws IOException {
    int n = rec.numChannels();
    short[] dst = new short[(int) ((end - start) * n)];
    rec.readInt16(start, end, dst);
    for (long s = start; s < end; s++) {
      for (int c = 0; c < n; c++) {
        int i = (int) ((s - start) * n + c);
        if (dst[i] != expected[(int) s][c]) {
          assertEquals(expected[(int) s][c], dst[i], "sample " + s + " channel " + c + " of " + rec.path());
        }
      }
    }
  }

  @Test
  void realFileRangesMatchAndSyncIsExcluded() throws Exception {
    Path bin = TestData.require(NOISE4SAM_AP);
    short[][] expected = independentRead(bin, 385);
    try (Recording rec = Recordings.open(bin)) {
      long n = rec.numSamples();
      assertEquals(expected.length, n);
      assertRange(rec, expected, 0, 10);
      assertRange(rec, expected, 500, 777);
      assertRange(rec, expected, n - 1, n);
      assertRange(rec, expected, 0, n);
      assertRange(rec, expected, n, n);
      // The sync word never lands in dst: the last value of a one-sample read is channel 383.
      short[] one = new short[384];
      rec.readInt16(n - 1, n, one);
      assertEquals(expected[(int) n - 1][383], one[383]);
    }
  }

  @Test
  void fileWithoutSyncChannelReadsAllColumns() throws Exception {
    Path bin = TestData.require("spikeglx/recordings/NP2_no_sync/all_chan_g0_t0.exported.imec0.ap.bin");
    short[][] expected = independentRead(bin, 384);
    try (Recording rec = Recordings.open(bin)) {
      assertRange(rec, expected, 0, rec.numSamples());
      assertRange(rec, expected, 998, 1000);
    }
  }

  @Test
  void outOfRangeIsRejected() throws Exception {
    Path bin = TestData.require(NOISE4SAM_AP);
    try (Recording rec = Recordings.open(bin)) {
      long n = rec.numSamples();
      short[] dst = new short[384 * 2];
      assertThrows(IllegalArgumentException.class, () -> rec.readInt16(-1, 1, dst));
      assertThrows(IllegalArgumentException.class, () -> rec.readInt16(n - 1, n + 1, dst));
      assertThrows(IllegalArgumentException.class, () -> rec.readInt16(5, 4, dst));
      assertThrows(IllegalArgumentException.class, () -> rec.readInt16(0, 3, dst), "dst too small");
    }
  }

  /**
   * A file larger than one read block (4 MiB), so that ranges cross block boundaries, read from
   * several threads at once.
   */
  @Test
  void multiBlockConcurrentReads(@TempDir Path dir) throws Exception {
    Path realMeta = TestData.require(NOISE4SAM_AP.replace(".bin", ".meta"));
    int nSaved = 385;
    int samples = 12_000;
    ByteBuffer bytes = ByteBuffer.allocate(samples * nSaved * 2).order(ByteOrder.LITTLE_ENDIAN);
    Random random = new Random(42);
    while (bytes.hasRemaining()) {
      bytes.putShort((short) random.nextInt());
    }
    Path bin = dir.resolve("big_g0_t0.imec0.ap.bin");
    Files.write(bin, bytes.array());
    MetaFiles.writeVariant(realMeta, dir.resolve("big_g0_t0.imec0.ap.meta"),
        Map.of("fileSizeBytes", String.valueOf(bytes.capacity())));
    short[][] expected = independentRead(bin, nSaved);
    try (Recording rec = Recordings.open(bin)) {
      assertEquals(samples, rec.numSamples());
      assertEquals(List.of(), rec.warnings());
      assertRange(rec, expected, 0, samples);
      assertRange(rec, expected, 5000, 5900);
      ConcurrentReads.check(16, 20, samples, samples, (start, count) -> {
        assertRange(rec, expected, start, start + count);
      });
      short[] whole = new short[samples * 384];
      rec.readInt16(0, samples, whole);
      short[] row = new short[384];
      System.arraycopy(whole, (samples - 1) * 384, row, 0, 384);
      short[] expectedRow = new short[384];
      System.arraycopy(expected[samples - 1], 0, expectedRow, 0, 384);
      assertArrayEquals(expectedRow, row);
    }
  }
}
