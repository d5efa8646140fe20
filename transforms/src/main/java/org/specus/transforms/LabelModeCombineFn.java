package org.specus.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.specus.dsp.BadChannels;

/** Per-chunk labels, kept by chunk index, into each channel's mode over chunks (the same on every runner). */
final class LabelModeCombineFn extends ChunkOrderedCombineFn<int[], ChannelLabels> {
  private final int channels;
  private final ArrayList<long[]> sampleRanges;

  LabelModeCombineFn(int channels, List<long[]> sampleRanges) {
    super("the bad-channel detection", ChannelLabels.class);
    this.channels = channels;
    this.sampleRanges = new ArrayList<>(sampleRanges);
  }

  @Override
  ChannelLabels finish(SortedMap<Long, int[]> byChunk) {
    return new ChannelLabels(BadChannels.mode(new ArrayList<>(byChunk.values()), channels), List.copyOf(sampleRanges));
  }

}
