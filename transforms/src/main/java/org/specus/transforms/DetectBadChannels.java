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
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.dsp.BadChannels;
import org.specus.dsp.Butterworth;
import org.specus.dsp.Sos;
import org.specus.dsp.SosFilter;
import org.specus.io.beam.OpChain;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SpreadTiles;
import org.specus.io.beam.Tile;
import org.specus.io.beam.TileOp;
import org.specus.io.beam.Tiles;

/**
 * Detects bad channels (IBL's coherence + high-frequency PSD method, SpikeInterface's defaults, see
 * {@link BadChannels}) and acts on them: {@code tiles.apply(DetectBadChannels.ibl())} interpolates
 * them from their neighbours before referencing.
 *
 * <p>A statistics pass like the whitening covariance: {@value #DEFAULT_CHUNKS} seeded chunks of
 * {@value #DEFAULT_CHUNK_SECONDS} s spread over the recording run through the chain so far (plus a
 * 300 Hz order-5 highpass when the chain has no filter yet, as SpikeInterface does for unfiltered
 * recordings), are converted to µV, labelled in depth order, and the per-channel mode over chunks
 * (combined in chunk order) reaches every tile as a side input.
 *
 * <p><b>What happens to bad channels ({@link Action}).</b> The channel count never changes: the
 * labels are data-dependent while the output's shape, W's shape and the Zarr layout are fixed
 * when the pipeline is built. {@code interpolate} (default) replaces each bad channel by the
 * kriging-weighted sum of its good neighbours ({@code exp(−(d/20 µm)^1.3)}); {@code exclude}
 * zeroes bad channels and a following common reference leaves them out of every reference set
 * (whitening then keeps them at zero); {@code detect} only records the labels. In every case the
 * labels are stored in {@code properties/channel_labels} with their names.
 *
 * <p>Whitening afterwards: an interpolated channel is a linear combination of others and an
 * excluded one is zero, so the covariance is singular and W along those directions is
 * {@code 1/sqrt(eps)}. With SpikeInterface's eps rule on count-scale data (eps = 1e-16) that is
 * 1e8, which amplifies rounding; give whitening an explicit eps (e.g. 1 count²) in such pipelines.
 */
public final class DetectBadChannels extends PTransform<Tiles, Tiles> {
  public static final int DEFAULT_CHUNKS = 100;
  public static final double DEFAULT_CHUNK_SECONDS = 0.3;
  public static final double DEFAULT_SIGMA_UM = 20;
  public static final double DEFAULT_POWER = 1.3;

  /** What to do with the channels found bad. */
  public enum Action {
    INTERPOLATE,
    EXCLUDE,
    DETECT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Action parse(String s) {
      for (Action a : values()) {
        if (a.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
          return a;
        }
      }
      throw new IllegalArgumentException("bad-channel action must be interpolate, exclude or detect, got '" + s + "'");
    }
  }

  private final Action action;
  private final BadChannels.Params params;
  private final int chunks;
  private final double chunkSeconds;
  private final long seed;

  private DetectBadChannels(Action action, BadChannels.Params params, int chunks, double chunkSeconds, long seed) {
    this.action = action;
    this.params = params;
    this.chunks = chunks;
    this.chunkSeconds = chunkSeconds;
    this.seed = seed;
  }

  /** IBL's method with SpikeInterface's defaults; bad channels are interpolated. */
  public static DetectBadChannels ibl() {
    return new DetectBadChannels(Action.INTERPOLATE, BadChannels.Params.spikeInterface(), DEFAULT_CHUNKS,
        DEFAULT_CHUNK_SECONDS, 0);
  }

  public DetectBadChannels withAction(Action a) {
    if (a == null) {
      throw new IllegalArgumentException("bad-channel action is missing");
    }
    return new DetectBadChannels(a, params, chunks, chunkSeconds, seed);
  }

  public DetectBadChannels withParams(BadChannels.Params p) {
    if (p.neighbours() < 1 || p.neighbours() % 2 == 0) {
      throw new IllegalArgumentException("bad-channel neighbours must be an odd number >= 1, got " + p.neighbours());
    }
    if (!(p.nyquistFraction() > 0 && p.nyquistFraction() < 1)) {
      throw new IllegalArgumentException("bad-channel nyquist fraction must be in (0, 1), got " + p.nyquistFraction());
    }
    if (!(p.welchMs() > 0)) {
      throw new IllegalArgumentException("bad-channel welch window must be a positive number of ms, got " + p.welchMs());
    }
    return new DetectBadChannels(action, p, chunks, chunkSeconds, seed);
  }

  public DetectBadChannels withSample(int chunks, double chunkSeconds) {
    if (chunks < 1) {
      throw new IllegalArgumentException("bad-channel detection needs at least one chunk, got " + chunks);
    }
    if (!(chunkSeconds > 0) || !Double.isFinite(chunkSeconds)) {
      throw new IllegalArgumentException("bad-channel chunk length must be a positive number of seconds, got "
          + chunkSeconds);
    }
    return new DetectBadChannels(action, params, chunks, chunkSeconds, seed);
  }

  public DetectBadChannels withSeed(long seed) {
    return new DetectBadChannels(action, params, chunks, chunkSeconds, seed);
  }

  @Override
  public Tiles expand(Tiles input) {
    RecordingInfo rec = input.recording();
    check(rec, input.chain());
    List<Tile> sample = plan(rec);
    List<long[]> ranges = sample.stream().map(t -> new long[] {t.start(), t.end()}).toList();
    OpChain statistics = statisticsChain(rec, input.chain());
    PCollectionView<ChannelLabels> labels = input.getPipeline()
        .apply("Bad-channel chunks", Create.of(sample).withCoder(SerializableCoder.of(Tile.class)))
        .apply("Spread chunks", SpreadTiles.inBundlesOf(2).waitingFor(statistics.sideInputs()))
        .apply("Label chunks", ParDo.of(new ChunkLabelsFn(rec, statistics, params))
            .withSideInputs(statistics.sideInputs()))
        .setCoder(KvCoder.of(VarLongCoder.of(), SerializableCoder.of(int[].class)))
        .apply("Labels: mode over chunks",
            Combine.globally(new LabelModeCombineFn(rec.numChannels(), ranges)).withoutDefaults())
        .apply("Labels as side input", View.asSingleton());
    return input.then(new BadChannelsOp(labels, action, rec.locations(), DEFAULT_SIGMA_UM, DEFAULT_POWER,
        describe(Math.round(chunkSeconds * rec.samplingRate()))));
  }

  /**
   * Runs the detection now, in this process, on the recording's raw signal (highpassed), without
   * a pipeline: what {@code specus info --bad-channels} prints.
   */
  public ChannelLabels detectNow(RecordingInfo rec) {
    check(rec, OpChain.empty());
    List<Tile> sample = plan(rec);
    OpChain statistics = statisticsChain(rec, OpChain.empty());
    List<int[]> perChunk = new ArrayList<>();
    for (Tile t : sample) {
      perChunk.add(ChunkLabelsFn.labels(rec, statistics, params, t, SideInputs.NONE));
    }
    return new ChannelLabels(BadChannels.mode(perChunk, rec.numChannels()),
        sample.stream().map(t -> new long[] {t.start(), t.end()}).toList());
  }

  private void check(RecordingInfo rec, OpChain chain) {
    if (rec.locations() == null && action == Action.INTERPOLATE) {
      throw new IllegalArgumentException(rec.fileName() + ": interpolating bad channels needs contact positions,"
          + " and the recording has none; use action exclude or detect");
    }
    if (rec.numChannels() < params.neighbours()) {
      throw new IllegalArgumentException(rec.fileName() + ": bad-channel detection compares each channel with "
          + params.neighbours() + " neighbours, the recording has " + rec.numChannels() + " channels");
    }
    for (TileOp op : chain.ops()) {
      if (op.name().equals("whiten") || op.name().equals("common_reference")) {
        throw new IllegalArgumentException(rec.fileName() + ": bad-channel detection must come before " + op.name()
            + ": it measures each channel's coherence with the signal all channels share, which referencing"
            + " removes, and its power thresholds are in µV, which whitening changes");
      }
    }
  }

  private List<Tile> plan(RecordingInfo rec) {
    long chunkSamples = Math.max(1, Math.round(chunkSeconds * rec.samplingRate()));
    return StatisticsSample.plan(rec.numSamples(), chunks, chunkSamples, seed);
  }

  /** The chain so far, with SpikeInterface's 300 Hz highpass added when nothing has filtered yet. */
  static OpChain statisticsChain(RecordingInfo rec, OpChain chain) {
    boolean filtered = chain.ops().stream().anyMatch(o -> o.name().equals("bandpass") || o.name().equals("highpass"));
    if (filtered) {
      return chain;
    }
    Sos sos = Butterworth.highpass(5, Math.min(300, rec.nyquist() * 0.5), rec.samplingRate());
    int margin = SosFilter.settlingSamples(sos, Bandpass.SETTLING_TOLERANCE);
    return chain.then(new SosFilterOp("highpass", sos, margin, Direction.FORWARD_BACKWARD,
        Map.of("op", "highpass", "cutoff_hz", 300.0, "order", 5, "purpose", "bad-channel detection only")));
  }

  private Map<String, Object> describe(long chunkSamples) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("op", "bad_channels");
    p.put("method", "coherence+psd");
    p.put("action", action.label());
    p.put("chunks", chunks);
    p.put("chunk_samples", chunkSamples);
    p.put("seed", seed);
    p.put("psd_hf_threshold", params.psdHfThreshold());
    p.put("dead_threshold", params.deadThreshold());
    p.put("noisy_threshold", params.noisyThreshold());
    p.put("outside_threshold", params.outsideThreshold());
    p.put("neighbours", params.neighbours());
    p.put("nyquist_fraction", params.nyquistFraction());
    p.put("welch_ms", params.welchMs());
    if (action == Action.INTERPOLATE) {
      p.put("sigma_um", DEFAULT_SIGMA_UM);
      p.put("p", DEFAULT_POWER);
    }
    return p;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("action", action.label())).add(DisplayData.item("chunks", chunks))
        .add(DisplayData.item("chunkSeconds", chunkSeconds));
  }
}
