package org.specus.io.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.Recordings;

/**
 * Reading the next tile in the background: what is taken must be exactly the file's samples of the
 * span asked for, and anything else (another span, a float file, a failed read) must leave the
 * read to the caller.
 */
class ReadAheadTest {
  private static final int CHANNELS = 5;
  private static final int SAMPLES = 1000;

  @TempDir
  Path tmp;
  private final ReadAhead ahead = new ReadAhead("test.read_ahead");

  @AfterEach
  void close() {
    ahead.close();
  }

  /** An int16 file of random counts, and those counts as the reference. */
  private short[] writeInt16(Path f) throws IOException {
    short[] v = new short[CHANNELS * SAMPLES];
    Random rng = new Random(7);
    ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < v.length; k++) {
      v[k] = (short) rng.nextInt();
      b.putShort(v[k]);
    }
    Files.write(f, b.array());
    return v;
  }

  private static ReaderOptions raw(String dtype) {
    return ReaderOptions.auto().withRaw(dtype, CHANNELS, 30000.0, null);
  }

  private static float[] nans(int n) {
    float[] a = new float[n];
    Arrays.fill(a, Float.NaN);
    return a;
  }

  @Test
  void theSpanReadAheadHoldsTheFilesSamples() throws Exception {
    Path f = tmp.resolve("x.dat");
    short[] counts = writeInt16(f);
    try (Recording r = Recordings.open(f, raw("int16"))) {
      ahead.start(r, 100, 400);
      float[] got = nans(300 * CHANNELS + 3);
      assertTrue(ahead.take(100, 400, got));
      for (int k = 0; k < 300 * CHANNELS; k++) {
        assertEquals(counts[100 * CHANNELS + k], got[k], "value " + k);
      }
      assertTrue(Float.isNaN(got[300 * CHANNELS]), "wrote past the span");
      assertFalse(ahead.take(100, 400, nans(300 * CHANNELS)), "served the same read twice");

      // the buffer is reused for a smaller span at the recording's end
      ahead.start(r, 900, 1000);
      float[] tail = nans(100 * CHANNELS);
      assertTrue(ahead.take(900, 1000, tail));
      assertEquals(counts[SAMPLES * CHANNELS - 1], tail[tail.length - 1]);
    }
  }

  @Test
  void anotherSpanIsDroppedAndLeftToTheCaller() throws Exception {
    Path f = tmp.resolve("x.dat");
    writeInt16(f);
    try (Recording r = Recordings.open(f, raw("int16"))) {
      assertFalse(ahead.take(0, 10, nans(10 * CHANNELS)), "nothing was read ahead");
      ahead.start(r, 100, 400);
      ahead.start(r, 200, 500); // one read at a time: ignored
      float[] got = nans(300 * CHANNELS);
      assertFalse(ahead.take(200, 500, got));
      assertTrue(Arrays.stream(toDoubles(got)).allMatch(Double::isNaN), "a refused take wrote into dst");
      ahead.start(r, 200, 500);
      assertTrue(ahead.take(200, 500, got));
    }
  }

  @Test
  void floatFilesAreNotReadAhead() throws Exception {
    Path f = tmp.resolve("x.raw");
    Files.write(f, new byte[SAMPLES * CHANNELS * 4]);
    try (Recording r = Recordings.open(f, raw("float32"))) {
      ahead.start(r, 0, 100);
      assertFalse(ahead.take(0, 100, nans(100 * CHANNELS)));
      ahead.start(r, 100, 200); // known not to store int16: no second try
      assertFalse(ahead.take(100, 200, nans(100 * CHANNELS)));
    }
  }

  @Test
  void aFailedReadIsLeftToTheCallerAndReadAheadGoesOn() {
    int[] calls = {0};
    Recording failsOnce = (Recording) Proxy.newProxyInstance(Recording.class.getClassLoader(),
        new Class<?>[] {Recording.class}, (proxy, method, args) -> switch (method.getName()) {
          case "numChannels" -> CHANNELS;
          case "readInt16" -> {
            if (calls[0]++ == 0) {
              throw new IOException("disk on fire");
            }
            ShortBuffer dst = (ShortBuffer) args[2];
            for (int i = 0; i < dst.limit(); i++) {
              dst.put(i, (short) 9);
            }
            yield null;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
    ahead.start(failsOnce, 0, 10);
    assertFalse(ahead.take(0, 10, nans(10 * CHANNELS)));
    ahead.start(failsOnce, 10, 20);
    float[] got = nans(10 * CHANNELS);
    assertTrue(ahead.take(10, 20, got));
    assertEquals(9f, got[10 * CHANNELS - 1]);
  }

  /**
   * Through the chain, tile after tile as a bundle runs them: each tile's block, margins included,
   * is the file's samples whether it was read ahead or not.
   */
  @Test
  void consecutiveTilesThroughTheChainReadTheFilesSamples() throws Exception {
    Path f = tmp.resolve("x.dat");
    short[] counts = writeInt16(f);
    RecordingInfo info;
    try (Recording r = Recordings.open(f, raw("int16"))) {
      info = RecordingInfo.of(r, raw("int16"));
    }
    int margin = 13;
    float[][] seen = new float[4][];
    OpChain chain = OpChain.empty().then(new Look(margin, seen));
    TileBuffers buffers = new TileBuffers("read-ahead-test");
    try {
      int length = 300; // tiles 0..3: 300, 300, 300, 100 samples
      for (int k = 0; k < 4; k++) {
        Tile tile = new Tile(k, k * length, Math.min(SAMPLES, (k + 1) * length));
        Tile next = SpreadTiles.nextInBundle(tile, 4, SAMPLES);
        chain.execute(info, tile.start(), tile.end(), null, buffers, next);
        long from = Math.max(0, tile.start() - margin);
        long to = Math.min(SAMPLES, tile.end() + margin);
        assertEquals((to - from) * CHANNELS, seen[0].length, "tile " + k);
        for (int i = 0; i < seen[0].length; i++) {
          assertEquals(counts[(int) (from * CHANNELS) + i], seen[0][i], "tile " + k + ", value " + i);
        }
      }
      assertEquals(3, buffers.readAhead().taken(), "tiles 1-3 should have come from the read ahead");
    } finally {
      buffers.close();
      OpenRecordings.close(info.path());
    }
  }

  /** Copies the block it is given, margins included; changes nothing. */
  private record Look(int margin, float[][] seen) implements TileOp {
    @Override
    public String name() {
      return "look";
    }

    @Override
    public int marginSamples() {
      return margin;
    }

    @Override
    public void apply(SignalBlock block, SideInputs sideInputs) {
      seen[0] = Arrays.copyOf(block.data(), block.rows() * block.cols());
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of();
    }
  }

  private static double[] toDoubles(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
