package org.specus.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file holds exactly the bytes put, whether written past the page cache or through it. */
class UncachedFileWriterTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "direct allowed: {0}")
  @ValueSource(booleans = {true, false})
  void fileHoldsExactlyThePiecesPut(boolean tryDirect) throws IOException {
    Random random = new Random(11);
    ByteBuffer staging = UncachedFileWriter.stagingBuffer(64 << 10);
    // pieces smaller and larger than the buffer, some not multiples of anything, and empty ones
    int[] sizes = {1, 4095, 4096, 4097, 0, 70_000, 12_345, 200_000, 3, 65_536, 1_000_001, 17};
    for (int round = 0; round < 2; round++) { // the second file reuses the (possibly grown) buffer
      Path file = dir.resolve("f" + round + ".bin");
      ByteArrayOutputStream want = new ByteArrayOutputStream();
      UncachedFileWriter w = UncachedFileWriter.create(file, staging, tryDirect);
      assumeTrue(w.direct() == tryDirect, "the file system under " + dir + " refuses O_DIRECT: only buffered writes are tested");
      for (int n : sizes) {
        byte[] piece = new byte[n];
        random.nextBytes(piece);
        want.write(piece, 0, n);
        w.reserve(n).put(piece);
        assertEquals(want.size(), w.size());
      }
      w.finish(round == 1);
      staging = w.staging();
      assertArrayEquals(want.toByteArray(), Files.readAllBytes(file));
    }
  }

  @ParameterizedTest(name = "direct allowed: {0}")
  @ValueSource(booleans = {true, false})
  void emptyAndBlockSizedFiles(boolean tryDirect) throws IOException {
    ByteBuffer staging = UncachedFileWriter.stagingBuffer(8192);
    UncachedFileWriter empty = UncachedFileWriter.create(dir.resolve("empty"), staging, tryDirect);
    empty.finish(false);
    assertEquals(0, Files.size(dir.resolve("empty")));
    UncachedFileWriter block = UncachedFileWriter.create(dir.resolve("block"), staging, tryDirect);
    block.reserve(8192).put(new byte[8192]);
    block.finish(false);
    assertEquals(8192, Files.size(dir.resolve("block")));
  }

  @ParameterizedTest(name = "direct allowed: {0}")
  @ValueSource(booleans = {true, false})
  void refusesAnExistingFile(boolean tryDirect) throws IOException {
    Files.writeString(dir.resolve("there"), "x");
    assertThrows(FileAlreadyExistsException.class,
        () -> UncachedFileWriter.create(dir.resolve("there"), UncachedFileWriter.stagingBuffer(4096), tryDirect));
    assertEquals("x", Files.readString(dir.resolve("there")));
  }
}
