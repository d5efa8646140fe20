package org.specus.transforms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.dsp.CovarianceAccumulator;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.Tile;
import org.specus.io.beam.Tiles;

/**
 * Global ZCA whitening: {@code tiles.apply(Whiten.global().withSample(20, 0.5).withSeed(0))}.
 *
 * <p>The covariance {@code C = XᵀX / N} (no mean removal, as SpikeInterface) is estimated on a
 * seeded sample of chunks spread over the recording, each run through the chain so far; the
 * partial sums are combined by a Combine in chunk order, and the resulting
 * {@code W = U diag(1/sqrt(S + eps)) Uᵀ} reaches every tile as a side input.
 */
public final class Whiten extends PTransform<Tiles, Tiles> {
  public static final int DEFAULT_CHUNKS = 20;
  public static final double DEFAULT_CHUNK_SECONDS = 0.5;

  private final int chunks;
  private final double chunkSeconds;
  private final long seed;
  private final Double eps;

  private Whiten(int chunks, double chunkSeconds, long seed, Double eps) {
    this.chunks = chunks;
    this.chunkSeconds = chunkSeconds;
    this.seed = seed;
    this.eps = eps;
  }

  public static Whiten global() {
    return new Whiten(DEFAULT_CHUNKS, DEFAULT_CHUNK_SECONDS, 0, null);
  }

  /** Estimate the covariance from {@code chunks} chunks of {@code chunkSeconds} each. */
  public Whiten withSample(int chunks, double chunkSeconds) {
    if (chunks < 1) {
      throw new IllegalArgumentException("whitening needs at least one statistics chunk, got " + chunks);
    }
    if (!(chunkSeconds > 0) || !Double.isFinite(chunkSeconds)) {
      throw new IllegalArgumentException("whitening chunk length must be a positive number of seconds, got " + chunkSeconds);
    }
    return new Whiten(chunks, chunkSeconds, seed, eps);
  }

  public Whiten withSeed(long seed) {
    return new Whiten(chunks, chunkSeconds, seed, eps);
  }

  /** Explicit regularisation added to the eigenvalues; by default SpikeInterface's rule applies. */
  public Whiten withEps(double eps) {
    if (!(eps >= 0) || !Double.isFinite(eps)) {
      throw new IllegalArgumentException("whitening eps must be a finite number >= 0, got " + eps);
    }
    return new Whiten(chunks, chunkSeconds, seed, eps);
  }

  @Override
  public Tiles expand(Tiles input) {
    RecordingInfo rec = input.recording();
    long chunkSamples = Math.max(1, Math.round(chunkSeconds * rec.samplingRate()));
    List<Tile> sample = StatisticsSample.plan(rec.numSamples(), chunks, chunkSamples, seed);
    List<long[]> ranges = sample.stream().map(t -> new long[] {t.start(), t.end()}).toList();
    PCollectionView<WhiteningMatrix> matrix =
        input.getPipeline()
            .apply("Statistics chunks", Create.of(sample).withCoder(SerializableCoder.of(Tile.class)))
            .apply("Partial covariance",
                ParDo.of(new PartialCovarianceFn(rec, input.chain())).withSideInputs(input.chain().sideInputs()))
            .setCoder(KvCoder.of(VarLongCoder.of(), SerializableCoder.of(CovarianceAccumulator.class)))
            .apply("Whitening matrix", Combine.globally(new CovarianceCombineFn(rec.numChannels(), eps, ranges)).withoutDefaults())
            .apply("As side input", View.asSingleton());
    return input.then(new WhitenOp(matrix, describe(chunkSamples)));
  }

  private Map<String, Object> describe(long chunkSamples) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("op", "whiten");
    p.put("mode", "global");
    p.put("chunks", chunks);
    p.put("chunk_samples", chunkSamples);
    p.put("seed", seed);
    p.put("eps", eps == null ? "spikeinterface" : eps);
    p.put("apply_mean", false);
    return p;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("chunks", chunks)).add(DisplayData.item("chunkSeconds", chunkSeconds))
        .add(DisplayData.item("seed", seed));
  }
}
