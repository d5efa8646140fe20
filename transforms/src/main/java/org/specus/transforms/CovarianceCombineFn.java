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
import org.specus.dsp.CovarianceAccumulator;
import org.specus.dsp.LocalWhitening;
import org.specus.dsp.Zca;

/**
 * Combines per-chunk partial covariances into the whitening matrix. Partials are kept by chunk
 * index and summed in that order at the end: floating-point sums depend on their order, and a
 * runner merges accumulators in whatever order it likes, so this is what makes W identical on
 * every runner and at every parallelism.
 */
final class CovarianceCombineFn
    extends Combine.CombineFn<KV<Long, CovarianceAccumulator>, CovarianceCombineFn.Partials, WhiteningMatrix> {
  private final int channels;
  private final Double eps;
  private final ArrayList<long[]> sampleRanges;
  private final int[][] neighbourhoods;

  /**
   * @param eps explicit regularisation, or {@code null} for SpikeInterface's rule
   * @param sampleRanges the statistics chunks, recorded with the matrix for provenance
   * @param neighbourhoods per-channel neighbourhoods for local whitening, or {@code null} for global
   */
  CovarianceCombineFn(int channels, Double eps, List<long[]> sampleRanges, int[][] neighbourhoods) {
    this.channels = channels;
    this.eps = eps;
    this.sampleRanges = new ArrayList<>(sampleRanges);
    this.neighbourhoods = neighbourhoods;
  }

  static final class Partials implements Serializable {
    final TreeMap<Long, CovarianceAccumulator> byChunk = new TreeMap<>();

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
  public Partials addInput(Partials acc, KV<Long, CovarianceAccumulator> input) {
    if (acc.byChunk.put(input.getKey(), input.getValue()) != null) {
      throw new IllegalStateException("statistics chunk " + input.getKey() + " was counted twice");
    }
    return acc;
  }

  @Override
  public Partials mergeAccumulators(Iterable<Partials> accumulators) {
    Partials merged = new Partials();
    for (Partials p : accumulators) {
      for (Map.Entry<Long, CovarianceAccumulator> e : p.byChunk.entrySet()) {
        if (merged.byChunk.put(e.getKey(), e.getValue()) != null) {
          throw new IllegalStateException("statistics chunk " + e.getKey() + " was counted twice");
        }
      }
    }
    return merged;
  }

  @Override
  public WhiteningMatrix extractOutput(Partials acc) {
    if (acc.byChunk.isEmpty()) {
      throw new IllegalStateException("no data reached the whitening covariance");
    }
    CovarianceAccumulator total = new CovarianceAccumulator(channels);
    for (Map.Entry<Long, CovarianceAccumulator> e : acc.byChunk.entrySet()) {
      total.merge(e.getValue());
    }
    double usedEps = eps != null ? eps : total.spikeInterfaceEps();
    double[] w = neighbourhoods == null
        ? Zca.whiteningMatrix(total.covariance(), channels, usedEps)
        : LocalWhitening.matrix(total.covariance(), channels, neighbourhoods, usedEps);
    float[] wf = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      wf[i] = (float) w[i];
    }
    return new WhiteningMatrix(channels, wf, usedEps, total.count(), List.copyOf(sampleRanges));
  }

  @Override
  public Coder<Partials> getAccumulatorCoder(CoderRegistry registry, Coder<KV<Long, CovarianceAccumulator>> in) {
    return SerializableCoder.of(Partials.class);
  }

  @Override
  public Coder<WhiteningMatrix> getDefaultOutputCoder(CoderRegistry registry, Coder<KV<Long, CovarianceAccumulator>> in) {
    return SerializableCoder.of(WhiteningMatrix.class);
  }
}
