package org.specus.io.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;
import org.specus.io.TestData;

class RawBinaryRecordingTest {
  static ReaderOptions layout(String dtype, int channels, double rate, Long offset) {
    return ReaderOptions.auto().withRaw(dtype, channels, rate, offset);
  }

  @Test
  void realYassSnippetWithPositions() throws Exception {
    Path bin = TestData.require("raw-binary/yass/neuropixel.bin");
    Path pos = bin.resolveSibling("neuropixel_channels.npy");
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
    try (Recording r = Recordings.open(bin, layout("int16", 10, 30000, null).withRawPositions(pos.toString()))) {
      assertEquals("raw", r.format());
      assertEquals(10000, r.numSamples());
      assertEquals(10, r.numChannels());
      assertArrayEquals(new double[] {43, 20}, r.locations()[0]); // yass's NP1.0 checkerboard
      float[] got = new float[10 * 10000];
      r.readFloat(0, 10000, got);
      for (int k = 0; k < got.length; k++) {
        assertEquals(bytes.getShort(2 * k), got[k], "value " + k);
      }
    }
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(bin));
    assertEquals("neuropixel.bin: no .meta beside it, so not SpikeGLX; for a headerless binary give its layout with"
        + " --raw-dtype, --raw-channels and --raw-rate", e.getMessage());
  }

  @Test
  void aMissingBinIsReportedAsMissing(@TempDir Path tmp) {
    Path bin = tmp.resolve("session.bin"); // neither a SpikeGLX name nor a --raw-* layout
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recordings.open(bin));
    assertTrue(e.getMessage().startsWith(bin + ": no such file or directory; supported: "), e.getMessage());
  }

  @Test
  void typesAndOffset(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("x.dat");
    ByteBuffer b = ByteBuffer.allocate(16 + 5 * 3 * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[16]);
    for (int k = 0; k < 15; k++) {
      b.putDouble(k * 0.5 - 3);
    }
    Files.write(f, b.array());
    try (Recording r = Recordings.open(f, layout("float64", 3, 1000, 16L))) {
      assertEquals(5, r.numSamples());
      float[] got = new float[6];
      r.readFloat(3, 5, got);
      assertArrayEquals(new float[] {1.5f, 2f, 2.5f, 3f, 3.5f, 4f}, got);
    }
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(f, layout("int16", 7, 1000, 0L)));
    assertEquals("x.dat: size 136 bytes is not a whole number of samples (7 channels x 2 bytes int16): truncated, or"
        + " wrong channel count or type?", e.getMessage());
  }

  /**
   * A 6 GB sparse file: a tile near the end reads the values written there, which shows that reads
   * seek to the tile and never depend on the file's size (the test heap is far smaller than the file).
   */
  @Test
  void largeFileReadsOnlyTheTile(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("big.bin");
    int ch = 384;
    long samples = 6L * 1024 * 1024 * 1024 / (2 * ch);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(samples * ch * 2);
    }
    long start = samples - 30000;
    ByteBuffer tile = ByteBuffer.allocate(30000 * ch * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < 30000 * ch; k++) {
      tile.putShort((short) (k % 32000));
    }
    tile.flip();
    try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
      c.write(tile, start * ch * 2);
    }
    try (Recording r = Recordings.open(f, layout("int16", ch, 30000, null))) {
      assertEquals(samples, r.numSamples());
      float[] got = new float[30000 * ch];
      r.readFloat(start, samples, got);
      for (int k = 0; k < got.length; k += 997) {
        assertEquals(k % 32000, got[k], "value " + k);
      }
    }
  }
}
