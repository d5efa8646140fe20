package org.specus.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct write path makes the same bytes as the heap one it replaced: samples as little-endian
 * float32 or rounded int16, and zstd frames identical to zstd-jni's byte-array API.
 */
class WriteBuffersTest {

  private static byte[] signal(int bytes, long seed) {
    Random r = new Random(seed);
    ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float phase = 0;
    while (b.remaining() >= 4) {
      phase += 0.01f;
      b.putFloat((float) (Math.sin(phase) * 100 + r.nextGaussian() * 10)); // compressible, not trivially
    }
    return b.array();
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer d = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
    d.put(bytes).flip();
    return d;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void directCompressionMakesTheFramesOfTheByteArrayApis() {
    try (WriteBuffers buffers = new WriteBuffers();
        ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      for (int size : new int[] {1, 13, 4096, 1 << 20, 3000 * 385 * 4}) {
        byte[] zeros = new byte[size];
        for (byte[] raw : new byte[][] {signal(size, size), zeros}) {
          for (int level : new int[] {1, -1, 3}) {
            // What ZarrV2.writeChunk did (Zstd.compress) and what ShardWriter did (a context).
            byte[] simple = Zstd.compress(raw, level);
            ctx.setLevel(level).setChecksum(false).setContentSize(true);
            byte[] viaContext = ctx.compress(raw);
            byte[] direct = bytes(buffers.compress(direct(raw), level));
            assertArrayEquals(simple, direct, "size " + size + " level " + level);
            assertArrayEquals(viaContext, direct, "size " + size + " level " + level);
          }
        }
      }
    }
  }

  @Test
  void samplesAreLittleEndianFloat32OrInt16RoundedHalfToEvenAndSaturated() {
    float[] values = {0f, -0f, 0.5f, 1.5f, 2.5f, -2.5f, -0.5f, 1.49f, 32766.5f, 32767.6f, 1e9f, -32768.4f, -1e9f,
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 123.456f, Float.MIN_VALUE};
    short[] expected = {0, 0, 0, 2, 2, -2, 0, 1, 32766, 32767, 32767, -32768, -32768, 0, 32767, -32768, 123, 0};
    ByteBuffer b = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
    b.position(6); // at the buffer's position, not its start
    WriteBuffers.putSamples(b, values, 1, values.length - 1, true);
    assertEquals(6 + 2 * (values.length - 1), b.position());
    for (int i = 1; i < values.length; i++) {
      assertEquals(expected[i], b.getShort(6 + 2 * (i - 1)), "int16 of " + values[i]);
    }
    ByteBuffer f = ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    WriteBuffers.putSamples(f, values, 0, values.length, false);
    ByteBuffer heap = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    heap.asFloatBuffer().put(values);
    f.flip();
    assertArrayEquals(heap.array(), bytes(f));
  }

  @Test
  void zeroToLimitClearsThePaddingOnly() {
    ByteBuffer b = ByteBuffer.allocateDirect(37).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 37; i++) {
      b.put(i, (byte) 7);
    }
    b.position(5).limit(30);
    WriteBuffers.zeroToLimit(b);
    assertEquals(30, b.position());
    b.clear();
    for (int i = 0; i < 37; i++) {
      assertEquals(i >= 5 && i < 30 ? 0 : 7, b.get(i), "byte " + i);
    }
  }

  @Test
  void onlyOneWholeFrameOfTheExpectedSizeDecompresses() {
    try (WriteBuffers buffers = new WriteBuffers()) {
      byte[] raw = signal(40_000, 3);
      byte[] frame = Zstd.compress(raw, 1);
      assertTrue(buffers.decompressesTo(direct(frame), raw.length));
      assertArrayEquals(raw, bytes(buffers.raw(raw.length)));
      assertFalse(buffers.decompressesTo(direct(frame), raw.length + 4), "another size");
      assertFalse(buffers.decompressesTo(direct(Arrays.copyOf(frame, frame.length - 1)), raw.length), "cut short");
      assertFalse(buffers.decompressesTo(direct(Arrays.copyOf(frame, frame.length + 1)), raw.length), "trailing byte");
      byte[] twice = Arrays.copyOf(frame, 2 * frame.length);
      System.arraycopy(frame, 0, twice, frame.length, frame.length);
      assertFalse(buffers.decompressesTo(direct(twice), raw.length), "two frames");
      byte[] zeros = new byte[frame.length];
      assertFalse(buffers.decompressesTo(direct(zeros), raw.length), "zeros (a lost write)");
      byte[] damaged = frame.clone();
      damaged[5] ^= 0x55; // inside the frame header
      assertFalse(buffers.decompressesTo(direct(damaged), raw.length), "damaged header");
      assertFalse(buffers.decompressesTo(direct(new byte[0]), raw.length), "empty");
    }
  }

  @Test
  void buffersLargerThanTheDirectLimitLiveOnTheHeapAndMakeTheSameBytes(@TempDir Path tmp) throws Exception {
    int size = WriteBuffers.DIRECT_MAX + 4096; // e.g. a Zarr v2 chunk: a whole tile
    byte[] bytes = signal(size, 9);
    try (WriteBuffers buffers = new WriteBuffers()) {
      ByteBuffer raw = buffers.raw(size);
      assertFalse(raw.isDirect());
      raw.put(bytes).flip();
      ByteBuffer frame = buffers.compress(raw, 1);
      assertFalse(frame.isDirect());
      assertArrayEquals(Zstd.compress(bytes, 1), bytes(frame));
      // Written and read back through the direct staging buffer.
      Path file = tmp.resolve("chunk");
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        assertEquals(7 + frame.remaining(), buffers.write(ch, frame, 7));
      }
      byte[] onDisk = Files.readAllBytes(file);
      assertArrayEquals(Zstd.compress(bytes, 1), Arrays.copyOfRange(onDisk, 7, onDisk.length));
      ByteBuffer packed = buffers.packed(size);
      packed.limit(onDisk.length - 7);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        assertTrue(buffers.read(ch, packed, 7));
        assertFalse(buffers.read(ch, buffers.small(10), onDisk.length - 5), "past the end");
      }
      packed.flip();
      assertTrue(buffers.decompressesTo(packed, size));
      assertArrayEquals(bytes, bytes(buffers.raw(size)));
      packed.limit(packed.limit() - 1);
      assertFalse(buffers.decompressesTo(packed, size), "cut short");
    }
  }

  @Test
  void buffersAreReusedFromTileToTile() {
    try (WriteBuffers buffers = new WriteBuffers()) {
      ByteBuffer raw = buffers.raw(1000);
      assertTrue(raw.isDirect());
      assertEquals(ByteOrder.LITTLE_ENDIAN, raw.order());
      assertEquals(1000, raw.limit());
      assertSame(raw, buffers.raw(800));
      assertEquals(800, buffers.raw(800).limit());
      ByteBuffer packed = buffers.packed(1000);
      assertTrue(packed.capacity() >= Zstd.compressBound(1000));
      assertSame(packed, buffers.packed(1000));
      assertSame(buffers.small(164), buffers.small(100));
    }
  }
}
