package org.specus.synth;

import java.util.Objects;

/**
 * Immutable parameters of a synthetic Neuropixels 1.0 recording (see {@link SyntheticRecording}).
 *
 * <p>Build with {@link #builder()} (or {@link #of(double)} for the defaults); every signal parameter
 * has a default that gives a plausible NP1.0 AP-band recording:
 *
 * <ul>
 *   <li>independent band-limited noise per channel, {@link #noiseRmsUv()} = 10 µV rms;
 *   <li>a shared broadband component identical on all channels, {@link #commonNoiseRmsUv()} = 3 µV
 *       rms, plus common-mode "stripe" transients ({@link #stripeRateHz()} = 0.5 per second, i.e. a few
 *       hundred in 10 minutes, 1 ms long, 50–200 µV, random sign);
 *   <li>60 Hz line noise of 5 µV amplitude, same phase on all channels;
 *   <li>40 units firing as Poisson processes of 2–10 Hz with a 2 ms refractory period, peak-channel
 *       trough −60 to −200 µV, amplitude decaying as exp(−d / 30 µm) away from the unit.
 * </ul>
 *
 * <p>Amplitudes are in µV before quantisation to the NP1.0 AP gain (2.34375 µV per bit).
 */
public final class SynthConfig {

  /** NP1.0 has 384 recording channels; fewer are allowed (the first N sites), more are not. */
  public static final int MAX_CHANNELS = 384;

  private final double durationSeconds;
  private final int channels;
  private final long seed;
  private final double sampleRateHz;
  private final double noiseRmsUv;
  private final double noiseLowHz;
  private final double noiseHighHz;
  private final double commonNoiseRmsUv;
  private final double lineNoiseUv;
  private final double lineFreqHz;
  private final int units;
  private final double minRateHz;
  private final double maxRateHz;
  private final double refractoryMs;
  private final double minPeakUv;
  private final double maxPeakUv;
  private final double decayUm;
  private final double stripeRateHz;
  private final double minStripeUv;
  private final double maxStripeUv;
  private final boolean syncSquareWave;

  private SynthConfig(Builder b) {
    this.durationSeconds = b.durationSeconds;
    this.channels = b.channels;
    this.seed = b.seed;
    this.sampleRateHz = b.sampleRateHz;
    this.noiseRmsUv = b.noiseRmsUv;
    this.noiseLowHz = b.noiseLowHz;
    this.noiseHighHz = b.noiseHighHz;
    this.commonNoiseRmsUv = b.commonNoiseRmsUv;
    this.lineNoiseUv = b.lineNoiseUv;
    this.lineFreqHz = b.lineFreqHz;
    this.units = b.units;
    this.minRateHz = b.minRateHz;
    this.maxRateHz = b.maxRateHz;
    this.refractoryMs = b.refractoryMs;
    this.minPeakUv = b.minPeakUv;
    this.maxPeakUv = b.maxPeakUv;
    this.decayUm = b.decayUm;
    this.stripeRateHz = b.stripeRateHz;
    this.minStripeUv = b.minStripeUv;
    this.maxStripeUv = b.maxStripeUv;
    this.syncSquareWave = b.syncSquareWave;
    validate();
  }

  private void validate() {
    require(durationSeconds > 0 && Double.isFinite(durationSeconds),
        "durationSeconds must be > 0, got " + durationSeconds);
    require(channels >= 1 && channels <= MAX_CHANNELS,
        "channels must be in 1.." + MAX_CHANNELS + " (NP1.0), got " + channels);
    require(sampleRateHz >= 1000 && Double.isFinite(sampleRateHz),
        "sampleRateHz must be >= 1000, got " + sampleRateHz);
    require(numSamples() >= 1, "duration gives no samples");
    require(noiseRmsUv >= 0 && commonNoiseRmsUv >= 0 && lineNoiseUv >= 0,
        "noise amplitudes must be >= 0");
    require(noiseLowHz > 0 && noiseHighHz > noiseLowHz && noiseHighHz < sampleRateHz / 2,
        "need 0 < noiseLowHz < noiseHighHz < Nyquist, got " + noiseLowHz + ", " + noiseHighHz);
    require(lineFreqHz > 0 && lineFreqHz < sampleRateHz / 2, "lineFreqHz must be in (0, Nyquist)");
    require(units >= 0, "units must be >= 0");
    require(minRateHz > 0 && maxRateHz >= minRateHz, "need 0 < minRateHz <= maxRateHz");
    require(refractoryMs >= 0 && refractoryMs * 1e-3 < 1.0 / maxRateHz,
        "refractoryMs must be >= 0 and shorter than 1 / maxRateHz");
    require(minPeakUv >= 0 && maxPeakUv >= minPeakUv, "need 0 <= minPeakUv <= maxPeakUv");
    require(decayUm > 0, "decayUm must be > 0");
    require(stripeRateHz >= 0, "stripeRateHz must be >= 0");
    require(minStripeUv >= 0 && maxStripeUv >= minStripeUv, "need 0 <= minStripeUv <= maxStripeUv");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Defaults with the given duration. */
  public static SynthConfig of(double durationSeconds) {
    return builder().durationSeconds(durationSeconds).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.durationSeconds = durationSeconds;
    b.channels = channels;
    b.seed = seed;
    b.sampleRateHz = sampleRateHz;
    b.noiseRmsUv = noiseRmsUv;
    b.noiseLowHz = noiseLowHz;
    b.noiseHighHz = noiseHighHz;
    b.commonNoiseRmsUv = commonNoiseRmsUv;
    b.lineNoiseUv = lineNoiseUv;
    b.lineFreqHz = lineFreqHz;
    b.units = units;
    b.minRateHz = minRateHz;
    b.maxRateHz = maxRateHz;
    b.refractoryMs = refractoryMs;
    b.minPeakUv = minPeakUv;
    b.maxPeakUv = maxPeakUv;
    b.decayUm = decayUm;
    b.stripeRateHz = stripeRateHz;
    b.minStripeUv = minStripeUv;
    b.maxStripeUv = maxStripeUv;
    b.syncSquareWave = syncSquareWave;
    return b;
  }

  /** Number of samples per channel: round(duration × rate). */
  public long numSamples() {
    return Math.round(durationSeconds * sampleRateHz);
  }

  public double durationSeconds() { return durationSeconds; }
  public int channels() { return channels; }
  public long seed() { return seed; }
  public double sampleRateHz() { return sampleRateHz; }
  /** Rms of the independent band-limited noise on each channel, µV. */
  public double noiseRmsUv() { return noiseRmsUv; }
  /** Lower corner of the noise band-pass (first-order high-pass), Hz. */
  public double noiseLowHz() { return noiseLowHz; }
  /** Upper corner of the noise band-pass (first-order low-pass), Hz. */
  public double noiseHighHz() { return noiseHighHz; }
  /** Rms of the broadband component shared by all channels, µV. */
  public double commonNoiseRmsUv() { return commonNoiseRmsUv; }
  /** Amplitude (not rms) of the line-noise sinusoid, µV. */
  public double lineNoiseUv() { return lineNoiseUv; }
  public double lineFreqHz() { return lineFreqHz; }
  public int units() { return units; }
  public double minRateHz() { return minRateHz; }
  public double maxRateHz() { return maxRateHz; }
  public double refractoryMs() { return refractoryMs; }
  /** Smallest peak-channel trough magnitude of a unit, µV. */
  public double minPeakUv() { return minPeakUv; }
  /** Largest peak-channel trough magnitude of a unit, µV. */
  public double maxPeakUv() { return maxPeakUv; }
  /** Length constant of the spatial amplitude decay exp(−d / decayUm). */
  public double decayUm() { return decayUm; }
  /** Mean rate of common-mode stripe transients, events per second. */
  public double stripeRateHz() { return stripeRateHz; }
  public double minStripeUv() { return minStripeUv; }
  public double maxStripeUv() { return maxStripeUv; }
  /** Whether the sync channel carries a 1 Hz square wave on bit 6 (value 64) or stays 0. */
  public boolean syncSquareWave() { return syncSquareWave; }

  @Override
  public boolean equals(Object o) {
    return o instanceof SynthConfig && toString().equals(o.toString());
  }

  @Override
  public int hashCode() {
    return Objects.hash(toString());
  }

  @Override
  public String toString() {
    return "SynthConfig{durationSeconds=" + durationSeconds + ", channels=" + channels
        + ", seed=" + seed + ", sampleRateHz=" + sampleRateHz + ", noiseRmsUv=" + noiseRmsUv
        + ", noiseBandHz=" + noiseLowHz + "-" + noiseHighHz + ", commonNoiseRmsUv="
        + commonNoiseRmsUv + ", lineNoiseUv=" + lineNoiseUv + ", lineFreqHz=" + lineFreqHz
        + ", units=" + units + ", rateHz=" + minRateHz + "-" + maxRateHz + ", refractoryMs="
        + refractoryMs + ", peakUv=" + minPeakUv + "-" + maxPeakUv + ", decayUm=" + decayUm
        + ", stripeRateHz=" + stripeRateHz + ", stripeUv=" + minStripeUv + "-" + maxStripeUv
        + ", syncSquareWave=" + syncSquareWave + "}";
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private double durationSeconds = 10;
    private int channels = MAX_CHANNELS;
    private long seed = 0;
    private double sampleRateHz = 30000;
    private double noiseRmsUv = 10;
    private double noiseLowHz = 300;
    private double noiseHighHz = 5000;
    private double commonNoiseRmsUv = 3;
    private double lineNoiseUv = 5;
    private double lineFreqHz = 60;
    private int units = 40;
    private double minRateHz = 2;
    private double maxRateHz = 10;
    private double refractoryMs = 2;
    private double minPeakUv = 60;
    private double maxPeakUv = 200;
    private double decayUm = 30;
    private double stripeRateHz = 0.5;
    private double minStripeUv = 50;
    private double maxStripeUv = 200;
    private boolean syncSquareWave = true;

    private Builder() {}

    public Builder durationSeconds(double v) { durationSeconds = v; return this; }
    public Builder channels(int v) { channels = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder sampleRateHz(double v) { sampleRateHz = v; return this; }
    public Builder noiseRmsUv(double v) { noiseRmsUv = v; return this; }
    public Builder noiseBandHz(double low, double high) { noiseLowHz = low; noiseHighHz = high; return this; }
    public Builder commonNoiseRmsUv(double v) { commonNoiseRmsUv = v; return this; }
    public Builder lineNoiseUv(double v) { lineNoiseUv = v; return this; }
    public Builder lineFreqHz(double v) { lineFreqHz = v; return this; }
    public Builder units(int v) { units = v; return this; }
    public Builder rateHz(double min, double max) { minRateHz = min; maxRateHz = max; return this; }
    public Builder refractoryMs(double v) { refractoryMs = v; return this; }
    public Builder peakUv(double min, double max) { minPeakUv = min; maxPeakUv = max; return this; }
    public Builder decayUm(double v) { decayUm = v; return this; }
    public Builder stripeRateHz(double v) { stripeRateHz = v; return this; }
    public Builder stripeUv(double min, double max) { minStripeUv = min; maxStripeUv = max; return this; }
    public Builder syncSquareWave(boolean v) { syncSquareWave = v; return this; }

    public SynthConfig build() {
      return new SynthConfig(this);
    }
  }
}
