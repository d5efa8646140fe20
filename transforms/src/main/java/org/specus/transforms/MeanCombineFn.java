package org.specus.transforms;

import java.util.SortedMap;

/**
 * Combines per-chunk channel sums into the channel means (float32, as the data they are
 * subtracted from). Partials are summed in chunk order, so the means are identical on every
 * runner (see {@link CovarianceCombineFn}).
 */
final class MeanCombineFn extends ChunkOrderedCombineFn<ChannelSum, float[]> {

  MeanCombineFn() {
    super("the whitening mean", float[].class);
  }

  @Override
  float[] finish(SortedMap<Long, ChannelSum> byChunk) {
    double[] total = null;
    long count = 0;
    for (ChannelSum s : byChunk.values()) {
      if (total == null) {
        total = new double[s.sums().length];
      }
      for (int c = 0; c < total.length; c++) {
        total[c] += s.sums()[c];
      }
      count += s.count();
    }
    float[] mean = new float[total.length];
    for (int c = 0; c < mean.length; c++) {
      mean[c] = (float) (total[c] / count);
    }
    return mean;
  }

}
