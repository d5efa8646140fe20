package org.specus.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.specus.io.beam.Tile;

/**
 * Where statistics (the whitening covariance) are estimated: {@code count} chunks of
 * {@code chunkSamples}, one placed at a seeded random offset within each of {@code count} equal
 * segments, so the sample spreads over the whole recording, is the same on every runner, and does
 * not depend on the output's tile length. A recording shorter than the sample is used whole.
 */
final class StatisticsSample {
  private StatisticsSample() {}

  static List<Tile> plan(long numSamples, int count, long chunkSamples, long seed) {
    List<Tile> chunks = new ArrayList<>();
    if (numSamples <= count * chunkSamples) {
      for (long start = 0, i = 0; start < numSamples; start += chunkSamples, i++) {
        chunks.add(new Tile(i, start, Math.min(numSamples, start + chunkSamples)));
      }
      return chunks;
    }
    SplittableRandom random = new SplittableRandom(seed);
    double segment = (double) numSamples / count;
    for (int k = 0; k < count; k++) {
      long lo = (long) Math.floor(k * segment);
      long hi = (long) Math.floor((k + 1) * segment) - chunkSamples; // last admissible start
      long start = hi > lo ? lo + random.nextLong(hi - lo + 1) : lo;
      chunks.add(new Tile(k, start, start + chunkSamples));
    }
    return chunks;
  }
}
