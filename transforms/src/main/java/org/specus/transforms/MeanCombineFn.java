package org.specus.transforms;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;

/**
 * Combines per-chunk channel sums into the channel means (float32, as the data they are
 * subtracted from). Partials are summed in chunk order, so the means are identical on every
 * runner (see {@link CovarianceCombineFn}).
 */
final class MeanCombineFn extends Combine.CombineFn<KV<Long, ChannelSum>, MeanCombineFn.Partials, float[]> {

  static final class Partials implements Serializable {
    final TreeMap<Long, ChannelSum> byChunk = new TreeMap<>();

    @Override
    public boolean equals(Object o) {
      return o instanceof Partials other && byChunk.equals(other.byChunk);
    }

    @Override
    public int hashCode() {
      return byChunk.hashCode();
    }
  }

  @Override
  public Partials createAccumulator() {
    return new Partials();
  }

  @Override
  public Partials addInput(Partials acc, KV<Long, ChannelSum> input) {
    if (acc.byChunk.put(input.getKey(), input.getValue()) != null) {
      throw new IllegalStateException("statistics chunk " + input.getKey() + " was counted twice");
    }
    return acc;
  }

  @Override
  public Partials mergeAccumulators(Iterable<Partials> accumulators) {
    Partials merged = new Partials();
    for (Partials p : accumulators) {
      for (Map.Entry<Long, ChannelSum> e : p.byChunk.entrySet()) {
        if (merged.byChunk.put(e.getKey(), e.getValue()) != null) {
          throw new IllegalStateException("statistics chunk " + e.getKey() + " was counted twice");
        }
      }
    }
    return merged;
  }

  @Override
  public float[] extractOutput(Partials acc) {
    if (acc.byChunk.isEmpty()) {
      throw new IllegalStateException("no data reached the whitening mean");
    }
    double[] total = null;
    long count = 0;
    for (ChannelSum s : acc.byChunk.values()) {
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

  @Override
  public Coder<Partials> getAccumulatorCoder(CoderRegistry registry, Coder<KV<Long, ChannelSum>> in) {
    return SerializableCoder.of(Partials.class);
  }

  @Override
  public Coder<float[]> getDefaultOutputCoder(CoderRegistry registry, Coder<KV<Long, ChannelSum>> in) {
    return SerializableCoder.of(float[].class);
  }
}
