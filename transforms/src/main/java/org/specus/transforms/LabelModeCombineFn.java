package org.specus.transforms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;
import org.specus.dsp.BadChannels;

/** Per-chunk labels, kept by chunk index, into each channel's mode over chunks (the same on every runner). */
final class LabelModeCombineFn
    extends Combine.CombineFn<KV<Long, int[]>, LabelModeCombineFn.Partials, ChannelLabels> {
  private final int channels;
  private final ArrayList<long[]> sampleRanges;

  LabelModeCombineFn(int channels, List<long[]> sampleRanges) {
    this.channels = channels;
    this.sampleRanges = new ArrayList<>(sampleRanges);
  }

  static final class Partials implements Serializable {
    final TreeMap<Long, int[]> byChunk = new TreeMap<>();

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Partials other) || !other.byChunk.keySet().equals(byChunk.keySet())) {
        return false;
      }
      return byChunk.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), other.byChunk.get(e.getKey())));
    }

    @Override
    public int hashCode() {
      return byChunk.keySet().hashCode();
    }
  }

  @Override
  public Partials createAccumulator() {
    return new Partials();
  }

  @Override
  public Partials addInput(Partials acc, KV<Long, int[]> input) {
    if (acc.byChunk.put(input.getKey(), input.getValue()) != null) {
      throw new IllegalStateException("statistics chunk " + input.getKey() + " was labelled twice");
    }
    return acc;
  }

  @Override
  public Partials mergeAccumulators(Iterable<Partials> accumulators) {
    Partials merged = new Partials();
    for (Partials p : accumulators) {
      for (Map.Entry<Long, int[]> e : p.byChunk.entrySet()) {
        if (merged.byChunk.put(e.getKey(), e.getValue()) != null) {
          throw new IllegalStateException("statistics chunk " + e.getKey() + " was labelled twice");
        }
      }
    }
    return merged;
  }

  @Override
  public ChannelLabels extractOutput(Partials acc) {
    if (acc.byChunk.isEmpty()) {
      throw new IllegalStateException("no data reached the bad-channel detection");
    }
    return new ChannelLabels(BadChannels.mode(new ArrayList<>(acc.byChunk.values()), channels), List.copyOf(sampleRanges));
  }

  @Override
  public Coder<Partials> getAccumulatorCoder(CoderRegistry registry, Coder<KV<Long, int[]>> in) {
    return SerializableCoder.of(Partials.class);
  }

  @Override
  public Coder<ChannelLabels> getDefaultOutputCoder(CoderRegistry registry, Coder<KV<Long, int[]>> in) {
    return SerializableCoder.of(ChannelLabels.class);
  }
}
