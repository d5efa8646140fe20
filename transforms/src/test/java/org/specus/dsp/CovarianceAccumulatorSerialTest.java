package org.specus.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InvalidObjectException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.specus.io.beam.JavaSerialisation;

/** Runners encode accumulators while combining: they must arrive whole, and as a few objects. */
class CovarianceAccumulatorSerialTest {
  private static final int CHANNELS = 384;

  private static CovarianceAccumulator accumulated(long seed, int rows) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] block = new float[rows * CHANNELS];
    for (int i = 0; i < block.length; i++) {
      block[i] = (float) (random.nextGaussian() * (1 + i % CHANNELS));
    }
    CovarianceAccumulator acc = new CovarianceAccumulator(CHANNELS);
    acc.add(block, rows, CHANNELS);
    return acc;
  }

  @Test
  void everySumAndCountSurvivesAndMergingGoesOn() throws Exception {
    CovarianceAccumulator original = accumulated(1, 1000);
    CovarianceAccumulator back = (CovarianceAccumulator) JavaSerialisation.read(JavaSerialisation.write(original, new int[1]));
    assertEquals(original, back);
    assertEquals(original.count(), back.count());
    assertArrayEquals(original.gram(), back.gram());
    assertEquals(original.medianOfSquares(), back.medianOfSquares());

    CovarianceAccumulator more = accumulated(2, 300);
    CovarianceAccumulator direct = accumulated(1, 1000);
    direct.merge(more);
    back.merge(more);
    assertArrayEquals(direct.gram(), back.gram());
    assertEquals(direct.medianOfSquares(), back.medianOfSquares());
  }

  @Test
  void itIsWrittenAsAHandfulOfObjectsAndOnlyTheTriangle() throws Exception {
    int[] objects = {0};
    byte[] bytes = JavaSerialisation.write(accumulated(1, 200), objects);
    assertTrue(objects[0] < 5, objects[0] + " objects written for 384 channels");
    int triangle = Double.BYTES * CHANNELS * (CHANNELS + 1) / 2;
    assertTrue(bytes.length < triangle + 100_000, bytes.length + " bytes for a " + triangle + "-byte triangle");
  }

  @Test
  void aDamagedChannelCountIsRefusedNotAllocated() throws Exception {
    byte[] bytes = JavaSerialisation.write(accumulated(1, 10), new int[1]);
    // The packed form starts with the channel count, 384 = 0x00000180, then the row count 10.
    byte[] head = {0, 0, 1, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 10};
    int at = indexOf(bytes, head);
    assertTrue(at > 0, "packed form not found");
    bytes[at] = 0x7f; // 2.1 billion channels
    InvalidObjectException e = assertThrows(InvalidObjectException.class, () -> JavaSerialisation.read(bytes));
    assertTrue(e.getMessage().contains("damaged covariance accumulator"), e.getMessage());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
