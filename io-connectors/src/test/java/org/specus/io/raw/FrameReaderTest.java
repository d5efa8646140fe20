package org.specus.io.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames read directly (O_DIRECT, aligned blocks) or through the page cache are the file's bytes. */
class FrameReaderTest {
  @TempDir
  Path dir;

  // 770-byte frames (385 int16 channels, as SpikeGLX): never aligned to 4096-byte blocks
  private static final int FRAME = 770;

  private byte[] writeFile(int frames, int header) throws IOException {
    byte[] bytes = new byte[header + frames * FRAME];
    new Random(7).nextBytes(bytes);
    Files.write(dir.resolve("x.bin"), bytes);
    return bytes;
  }

  private static byte[] readAll(FrameReader r, long first, long frames) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] expectDone = {0};
    r.read(first, FRAME, frames, (buf, k, done) -> {
      assertEquals(expectDone[0], done, "pieces arrive in order");
      assertEquals(k * FRAME, buf.remaining());
      byte[] b = new byte[buf.remaining()];
      buf.get(b);
      out.write(b, 0, b.length);
      expectDone[0] += k;
    });
    return out.toByteArray();
  }

  @ParameterizedTest(name = "direct allowed: {0}")
  @ValueSource(booleans = {true, false})
  void readsTheFramesAsked(boolean tryDirect) throws IOException {
    int frames = 20_000; // 15.4 MB: several 4 MB pieces
    int header = 1001;
    byte[] all = writeFile(frames, header);
    try (FrameReader r = FrameReader.open(dir.resolve("x.bin"), tryDirect)) {
      assumeTrue(r.direct() == tryDirect, "the file system under " + dir + " refuses O_DIRECT: only buffered reads are tested");
      long[][] spans = {{0, frames}, {0, 1}, {frames - 1, 1}, {frames - 7000, 7000}, {5, 3}, {5447, 6000}, {100, 0}};
      for (long[] s : spans) {
        long first = header + s[0] * FRAME;
        byte[] got = readAll(r, first, s[1]);
        byte[] want = java.util.Arrays.copyOfRange(all, (int) first, (int) (first + s[1] * FRAME));
        assertArrayEquals(want, got, "frames " + s[0] + "+" + s[1]);
      }
    }
  }

  @ParameterizedTest(name = "direct allowed: {0}")
  @ValueSource(booleans = {true, false})
  void frameLargerThanTheBufferIsReadWhole(boolean tryDirect) throws IOException {
    int big = (4 << 20) + 123;
    byte[] all = new byte[3 * big];
    new Random(3).nextBytes(all);
    Files.write(dir.resolve("big.bin"), all);
    try (FrameReader r = FrameReader.open(dir.resolve("big.bin"), tryDirect)) {
      byte[][] got = new byte[1][];
      r.read(big, big, 2, (buf, k, done) -> {
        assertEquals(1, k);
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        got[0] = done == 0 ? b : got[0];
      });
      assertArrayEquals(java.util.Arrays.copyOfRange(all, big, 2 * big), got[0]);
    }
  }

  @ParameterizedTest(name = "direct allowed: {0}")
  @ValueSource(booleans = {true, false})
  void fileThatShrankIsAnErrorNamingIt(boolean tryDirect) throws IOException {
    writeFile(1000, 0);
    Path file = dir.resolve("x.bin");
    try (FrameReader r = FrameReader.open(file, tryDirect)) {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(500L * FRAME + 11);
      }
      EOFException e = assertThrows(EOFException.class, () -> readAll(r, 0, 1000));
      assertTrue(e.getMessage().startsWith("x.bin: ended at byte "), e.getMessage());
    }
  }
}
