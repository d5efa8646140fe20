package org.specus.io.zarr;

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
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;
import org.specus.io.SystemPython;

/**
 * A recording saved the way released SpikeInterface's {@code save(format="zarr")} does by default
 * (zarr-python 2, traces in 1 s chunks of 384 channels, numcodecs Blosc zstd clevel 5 bitshuffle),
 * opened through {@link Recordings#open} and compared value by value with what numpy wrote.
 */
class ZarrV2BloscStoreTest {
  static final int SAMPLES = 40123; // one full 30000-sample chunk and a partial one
  static final int CHANNELS = 384;
  static Path dir;
  static Path store;
  static short[] expected;

  @BeforeAll
  static void writeStore() throws Exception {
    SystemPython.require("zarr", "python3-zarr");
    dir = Path.of("target", "blosc-zarr-fixtures").toAbsolutePath();
    Files.createDirectories(dir);
    store = dir.resolve("si.zarr");
    Path raw = dir.resolve("traces.bin");
    String out = SystemPython.run(List.of(SystemPython.script("make_blosc_zarr.py").toString(), store.toString(),
        raw.toString(), Integer.toString(SAMPLES), Integer.toString(CHANNELS)));
    assertTrue(out.contains("'cname': 'zstd'") && out.contains("'shuffle': 2"), out);
    expected = new short[SAMPLES * CHANNELS];
    ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(expected);
  }

  @Test
  void spikeInterfacesDefaultBloscStoreReadsExactly() throws Exception {
    try (Recording r = Recordings.open(store)) {
      assertEquals("zarr", r.format());
      assertEquals(30000.0, r.samplingRate());
      assertEquals(SAMPLES, r.numSamples());
      assertEquals(CHANNELS, r.numChannels());
      assertEquals("imec0.ap#AP0", r.channelIds().get(0));
      assertEquals("imec0.ap#AP383", r.channelIds().get(383));
      assertEquals(2.34375, r.gainToUv()[100]);
      assertArrayEquals(new double[] {32, 20}, r.locations()[3]);
      short[] all = new short[SAMPLES * CHANNELS];
      r.readInt16(0, SAMPLES, all);
      assertArrayEquals(expected, all);
      // A span across the chunk boundary, as floats.
      float[] f = new float[200 * CHANNELS];
      r.readFloat(29900, 30100, f);
      for (int i = 0; i < f.length; i++) {
        assertEquals(expected[29900 * CHANNELS + i], f[i], "value " + i);
      }
    }
  }

  @Test
  void aTruncatedBloscChunkIsReportedWithItsFile() throws Exception {
    Path copy = copyOf("truncated.zarr");
    Path chunk = copy.resolve("traces_seg0/1.0");
    byte[] bytes = Files.readAllBytes(chunk);
    Files.write(chunk, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    try (Recording r = Recordings.open(copy)) {
      r.readFloat(0, 10, new float[10 * CHANNELS]); // chunk 0 is intact
      IOException e = assertThrows(IOException.class, () -> r.readFloat(30000, 30010, new float[10 * CHANNELS]));
      assertEquals(chunk + ": truncated Blosc chunk: the header declares " + bytes.length + " bytes, there are "
          + bytes.length / 2, e.getMessage());
    }
  }

  @Test
  void aDamagedBlockIsReportedWithItsFile() throws Exception {
    Path copy = copyOf("damaged.zarr");
    Path chunk = copy.resolve("traces_seg0/0.0");
    byte[] bytes = Files.readAllBytes(chunk);
    // The first block's first stream: its zstd frame magic number.
    int start = (bytes[16] & 0xFF) | (bytes[17] & 0xFF) << 8 | (bytes[18] & 0xFF) << 16 | (bytes[19] & 0xFF) << 24;
    bytes[start + 4] ^= 0x55;
    Files.write(chunk, bytes);
    try (Recording r = Recordings.open(copy)) {
      IOException e = assertThrows(IOException.class, () -> r.readFloat(0, 10, new float[10 * CHANNELS]));
      assertTrue(e.getMessage().startsWith(chunk + ": block 0 stream 0: undecodable zstd stream ("), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void aBloscCodecSpecusDoesNotDecodeIsRefusedWhenOpening() throws Exception {
    Path copy = copyOf("snappy.zarr");
    Path zarray = copy.resolve("traces_seg0/.zarray");
    Files.writeString(zarray, Files.readString(zarray).replace("\"zstd\"", "\"snappy\""));
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(copy));
    assertEquals(".zarray: compressor blosc with cname 'snappy' is not supported (blosclz, lz4, lz4hc, zlib, zstd;"
        + " re-save with numcodecs.Blosc(cname=\"zstd\"))", e.getMessage());
  }

  private static Path copyOf(String name) throws IOException {
    Path to = dir.resolve(name);
    if (Files.exists(to)) {
      try (Stream<Path> s = Files.walk(to)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    try (Stream<Path> s = Files.walk(store)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(store.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }
}
