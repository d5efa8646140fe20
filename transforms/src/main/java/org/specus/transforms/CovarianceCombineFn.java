package org.specus.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.specus.dsp.CovarianceAccumulator;
import org.specus.dsp.LocalWhitening;
import org.specus.dsp.Zca;
import org.specus.io.StageTimes;

/**
 * Combines per-chunk partial covariances into the whitening matrix. Partials are kept by chunk
 * index and summed in that order at the end: floating-point sums depend on their order, and a
 * runner merges accumulators in whatever order it likes, so this is what makes W identical on
 * every runner and at every parallelism.
 */
final class CovarianceCombineFn extends ChunkOrderedCombineFn<CovarianceAccumulator, WhiteningMatrix> {
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
    super("the whitening covariance", WhiteningMatrix.class);
    this.channels = channels;
    this.eps = eps;
    this.sampleRanges = new ArrayList<>(sampleRanges);
    this.neighbourhoods = neighbourhoods;
  }

  @Override
  WhiteningMatrix finish(SortedMap<Long, CovarianceAccumulator> byChunk) {
    StageTimes.Mark t = StageTimes.mark();
    CovarianceAccumulator total = new CovarianceAccumulator(channels);
    byChunk.values().forEach(total::merge);
    double usedEps = eps != null ? eps : total.spikeInterfaceEps();
    double[] w = neighbourhoods == null
        ? Zca.whiteningMatrix(total.covariance(), channels, usedEps)
        : LocalWhitening.matrix(total.covariance(), channels, neighbourhoods, usedEps);
    float[] wf = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      wf[i] = (float) w[i];
    }
    StageTimes.lap("statistics.whitening_matrix", t);
    return new WhiteningMatrix(channels, wf, usedEps, total.count(), List.copyOf(sampleRanges));
  }

}
