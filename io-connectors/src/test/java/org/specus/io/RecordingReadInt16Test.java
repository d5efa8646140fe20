package org.specus.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import org.junit.jupiter.api.Test;

/** {@link Recording#readInt16(long, long, ShortBuffer)} as readers that do not override it get it. */
class RecordingReadInt16Test {
  private static final int CHANNELS = 7;

  /** Value of channel c at sample t: distinct for every sample and channel in the test's range. */
  private static short value(long t, int c) {
    return (short) ((t * CHANNELS + c) % 30011);
  }

  /** A reader that only knows how to fill a short[] (as NWB and Zarr readers do). */
  private static Recording arrayOnly() {
    return (Recording) Proxy.newProxyInstance(Recording.class.getClassLoader(), new Class<?>[] {Recording.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "numChannels" -> CHANNELS;
          case "readInt16" -> {
            if (args[2] instanceof ShortBuffer) {
              yield InvocationHandler.invokeDefault(proxy, method, args);
            }
            long start = (Long) args[0];
            long end = (Long) args[1];
            short[] dst = (short[]) args[2];
            assertEquals((end - start) * CHANNELS, dst.length, "the default should pass exactly-sized pieces");
            for (long t = start; t < end; t++) {
              for (int c = 0; c < CHANNELS; c++) {
                dst[(int) ((t - start) * CHANNELS + c)] = value(t, c);
              }
            }
            yield null;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void aSpanOfSeveralPiecesLandsInTheBufferInOrder() throws Exception {
    long start = 1234;
    long end = start + 60_000; // 256 KB pieces of 18724 samples at 7 channels: three and a short one
    ShortBuffer dst = ByteBuffer.allocateDirect((int) (end - start) * CHANNELS * 2 + 6).asShortBuffer();
    dst.put(dst.limit() - 1, (short) -5);
    arrayOnly().readInt16(start, end, dst);
    for (long t = start; t < end; t++) {
      for (int c = 0; c < CHANNELS; c++) {
        assertEquals(value(t, c), dst.get((int) ((t - start) * CHANNELS + c)), "sample " + t + ", channel " + c);
      }
    }
    assertEquals(-5, dst.get(dst.limit() - 1), "wrote past the span");
  }
}
