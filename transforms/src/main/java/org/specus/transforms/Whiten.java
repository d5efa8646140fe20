package org.specus.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.dsp.CovarianceAccumulator;
import org.specus.dsp.LocalWhitening;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SpreadTiles;
import org.specus.io.beam.Tile;
import org.specus.io.beam.Tiles;

/**
 * ZCA whitening: {@code tiles.apply(Whiten.global().withSample(20, 0.5).withSeed(0))}, or local,
 * {@code Whiten.local().withRadius(100)} (SpikeInterface) / {@code Whiten.local().withNearest(32)}
 * (Kilosort).
 *
 * <p>The covariance {@code C = XᵀX / N} (no mean removal by default, as SpikeInterface) is
 * estimated on a seeded sample of chunks spread over the recording, each run through the chain so
 * far; the partial sums are combined by a Combine in chunk order, and the resulting
 * {@code W = U diag(1/sqrt(S + eps)) Uᵀ} reaches every tile as a side input. With
 * {@link #withMeanRemoval}, a first pass over the same chunks estimates the channel means μ, the
 * covariance is that of {@code X − μ} (and so is SpikeInterface's eps rule), and tiles get
 * {@code W (x − μ)}. Local whitening builds row c of W from the ZCA of channel c's neighbourhood
 * (see {@link LocalWhitening}).
 *
 * <p>{@link #withIntScale} multiplies the whitened output by a fixed scale (SpikeInterface's
 * {@code int_scale}), for int16 output: the scale is stored with W.
 */
public final class Whiten extends PTransform<Tiles, Tiles> {
  public static final int DEFAULT_CHUNKS = 20;
  public static final double DEFAULT_CHUNK_SECONDS = 0.5;
  public static final double DEFAULT_RADIUS_UM = 100;
  public static final int KILOSORT_NEAREST = 32;

  private final boolean local;
  private final Double radiusUm;
  private final Integer nearest;
  private final int chunks;
  private final double chunkSeconds;
  private final long seed;
  private final Double eps;
  private final boolean meanRemoval;
  private final Double intScale;

  private Whiten(boolean local, Double radiusUm, Integer nearest, int chunks, double chunkSeconds, long seed,
      Double eps, boolean meanRemoval, Double intScale) {
    this.local = local;
    this.radiusUm = radiusUm;
    this.nearest = nearest;
    this.chunks = chunks;
    this.chunkSeconds = chunkSeconds;
    this.seed = seed;
    this.eps = eps;
    this.meanRemoval = meanRemoval;
    this.intScale = intScale;
  }

  public static Whiten global() {
    return new Whiten(false, null, null, DEFAULT_CHUNKS, DEFAULT_CHUNK_SECONDS, 0, null, false, null);
  }

  /** Local whitening from the channels within {@value #DEFAULT_RADIUS_UM} µm unless told otherwise. */
  public static Whiten local() {
    return new Whiten(true, DEFAULT_RADIUS_UM, null, DEFAULT_CHUNKS, DEFAULT_CHUNK_SECONDS, 0, null, false, null);
  }

  /** Local neighbourhood: the channels within {@code um} µm (distance {@code <=} radius). */
  public Whiten withRadius(double um) {
    requireLocal("withRadius");
    if (!(um > 0) || !Double.isFinite(um)) {
      throw new IllegalArgumentException("whitening radius must be a positive distance in µm, got " + um);
    }
    return new Whiten(true, um, null, chunks, chunkSeconds, seed, eps, meanRemoval, intScale);
  }

  /** Local neighbourhood: the {@code k} nearest channels, the channel itself included (Kilosort: 32). */
  public Whiten withNearest(int k) {
    requireLocal("withNearest");
    if (k < 1) {
      throw new IllegalArgumentException("whitening nearest channel count must be at least 1, got " + k);
    }
    return new Whiten(true, null, k, chunks, chunkSeconds, seed, eps, meanRemoval, intScale);
  }

  private void requireLocal(String what) {
    if (!local) {
      throw new IllegalArgumentException("whitening " + what + " applies to local whitening; use Whiten.local()");
    }
  }

  /** Estimate the covariance from {@code chunks} chunks of {@code chunkSeconds} each. */
  public Whiten withSample(int chunks, double chunkSeconds) {
    if (chunks < 1) {
      throw new IllegalArgumentException("whitening needs at least one statistics chunk, got " + chunks);
    }
    if (!(chunkSeconds > 0) || !Double.isFinite(chunkSeconds)) {
      throw new IllegalArgumentException("whitening chunk length must be a positive number of seconds, got " + chunkSeconds);
    }
    return new Whiten(local, radiusUm, nearest, chunks, chunkSeconds, seed, eps, meanRemoval, intScale);
  }

  public Whiten withSeed(long seed) {
    return new Whiten(local, radiusUm, nearest, chunks, chunkSeconds, seed, eps, meanRemoval, intScale);
  }

  /** Explicit regularisation added to the eigenvalues; by default SpikeInterface's rule applies. */
  public Whiten withEps(double eps) {
    if (!(eps >= 0) || !Double.isFinite(eps)) {
      throw new IllegalArgumentException("whitening eps must be a finite number >= 0, got " + eps);
    }
    return new Whiten(local, radiusUm, nearest, chunks, chunkSeconds, seed, eps, meanRemoval, intScale);
  }

  /** Subtract the channel means before estimating and applying W (SpikeInterface's {@code apply_mean}). */
  public Whiten withMeanRemoval(boolean remove) {
    return new Whiten(local, radiusUm, nearest, chunks, chunkSeconds, seed, eps, remove, intScale);
  }

  /** Multiply the output by {@code scale} (for int16 output; SpikeInterface's {@code int_scale}). */
  public Whiten withIntScale(double scale) {
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("whitening int_scale must be a positive number, got " + scale);
    }
    return new Whiten(local, radiusUm, nearest, chunks, chunkSeconds, seed, eps, meanRemoval, scale);
  }

  @Override
  public Tiles expand(Tiles input) {
    RecordingInfo rec = input.recording();
    int[][] hoods = null;
    if (local) {
      if (rec.locations() == null) {
        throw new IllegalArgumentException(rec.fileName() + ": local whitening needs contact positions,"
            + " and the recording has none; use global whitening");
      }
      hoods = nearest != null
          ? LocalWhitening.nearest(rec.locations(), nearest)
          : LocalWhitening.withinRadius(rec.locations(), radiusUm);
    }
    long chunkSamples = Math.max(1, Math.round(chunkSeconds * rec.samplingRate()));
    List<Tile> sample = StatisticsSample.plan(rec.numSamples(), chunks, chunkSamples, seed);
    List<long[]> ranges = sample.stream().map(t -> new long[] {t.start(), t.end()}).toList();
    PCollectionView<float[]> mean = null;
    List<PCollectionView<?>> views = new ArrayList<>(input.chain().sideInputs());
    if (meanRemoval) {
      mean = chunkTiles(input, sample, "Mean chunks", views)
          .apply("Partial channel sums",
              ParDo.of(new PartialSumFn(rec, input.chain())).withSideInputs(input.chain().sideInputs()))
          .setCoder(KvCoder.of(VarLongCoder.of(), SerializableCoder.of(ChannelSum.class)))
          .apply("Channel means", Combine.globally(new MeanCombineFn()).withoutDefaults())
          .apply("Means as side input", View.asSingleton());
      views.add(mean);
    }
    PCollectionView<WhiteningMatrix> matrix =
        chunkTiles(input, sample, "Statistics chunks", views)
            .apply("Partial covariance",
                ParDo.of(new PartialCovarianceFn(rec, input.chain(), mean)).withSideInputs(views))
            .setCoder(KvCoder.of(VarLongCoder.of(), SerializableCoder.of(CovarianceAccumulator.class)))
            .apply("Whitening matrix",
                Combine.globally(new CovarianceCombineFn(rec.numChannels(), eps, ranges, hoods)).withoutDefaults())
            .apply("As side input", View.asSingleton());
    return input.then(new WhitenOp(matrix, mean, intScale, describe(chunkSamples)));
  }

  /**
   * Statistics chunks per bundle. The DirectRunner copies a combine's state through its coder each
   * time a bundle of partials reaches it, so the copying grows with the square of the bundle count
   * (20 chunks in bundles of 2: 110 partial covariances of 0.6 MB encoded and decoded; in bundles
   * of 4: 60). Five bundles still keep two cores busy to the end: three at once, then two.
   */
  private static final int CHUNKS_PER_BUNDLE = 4;

  /** The sample's chunks, spread over the workers once {@code views}, the next step's side inputs, are ready. */
  private static PCollection<Tile> chunkTiles(Tiles input, List<Tile> sample, String name, List<PCollectionView<?>> views) {
    return input.getPipeline()
        .apply(name, Create.of(sample).withCoder(SerializableCoder.of(Tile.class)))
        .apply("Spread " + name.toLowerCase(Locale.ROOT), SpreadTiles.inBundlesOf(CHUNKS_PER_BUNDLE).waitingFor(views));
  }

  private Map<String, Object> describe(long chunkSamples) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("op", "whiten");
    p.put("mode", local ? "local" : "global");
    if (local && nearest != null) {
      p.put("nearest", nearest);
    } else if (local) {
      p.put("radius_um", radiusUm);
    }
    p.put("chunks", chunks);
    p.put("chunk_samples", chunkSamples);
    p.put("seed", seed);
    p.put("eps", eps == null ? "spikeinterface" : eps);
    p.put("apply_mean", meanRemoval);
    if (intScale != null) {
      p.put("int_scale", intScale);
    }
    return p;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("mode", local ? "local" : "global")).add(DisplayData.item("chunks", chunks))
        .add(DisplayData.item("chunkSeconds", chunkSeconds)).add(DisplayData.item("seed", seed))
        .add(DisplayData.item("applyMean", meanRemoval));
  }
}
