package org.specus.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a realistic synthetic Neuropixels 1.0 SpikeGLX AP recording ({@code X.imec0.ap.bin} +
 * {@code X.imec0.ap.meta}) and its ground truth ({@code X.groundtruth.csv}), streaming one block at a
 * time so that memory does not depend on the duration.
 *
 * <h2>Signal model (µV, then quantised)</h2>
 *
 * <ul>
 *   <li><b>Independent noise</b> per channel: approximately Gaussian white noise through a first-order
 *       high-pass ({@link SynthConfig#noiseLowHz()}, 300 Hz) and a first-order low-pass ({@link
 *       SynthConfig#noiseHighHz()}, 5 kHz), both bilinear-transform one-pole sections, scaled so the
 *       output rms is {@link SynthConfig#noiseRmsUv()}. The filter state is carried across blocks.
 *   <li><b>Common mode</b>, identical on every channel: a broadband component (same band-pass, {@link
 *       SynthConfig#commonNoiseRmsUv()} rms), line noise ({@link SynthConfig#lineNoiseUv()} amplitude at
 *       {@link SynthConfig#lineFreqHz()}, same phase everywhere) and "stripe" transients: a Poisson
 *       train of ~1 ms Hann bumps (odd length ≈ 1 ms, peak exactly on a sample) of random sign and
 *       magnitude in [{@link SynthConfig#minStripeUv()}, {@link SynthConfig#maxStripeUv()}].
 *   <li><b>Units</b>: each has a location (x in [−10, 80] µm, y along the shank, z = 15–45 µm off the
 *       probe plane), a biphasic template (Gaussian trough of σ 0.08–0.14 ms, then an
 *       after-hyperpolarisation t²·exp(−t²) lobe of 20–45 % peaking 0.3–0.6 ms later; the trough is
 *       exactly at the spike sample with value −1), a peak-channel trough magnitude in [{@link
 *       SynthConfig#minPeakUv()}, {@link SynthConfig#maxPeakUv()}] (±10 % per spike), amplitude on
 *       channel c = peak × exp(−(d_c − d_peak) / {@link SynthConfig#decayUm()}) where d is the 3-D
 *       distance to the site (channels below 1 % are skipped), and a Poisson spike train of 2–10 Hz
 *       with a hard refractory period (inter-spike interval = refractory + exponential), drawn lazily
 *       one spike at a time.
 * </ul>
 *
 * <p>Quantisation: {@code round(µV / 2.34375)} (NP1.0 AP: 0.6 V / 512 / gain 500), clamped to int16.
 * The sync channel (the last of {@code channels + 1}) carries a 1 Hz, 50 % duty square wave on bit 6
 * (value 64 during the first half of every second, starting high at sample 0) like SpikeGLX's sync
 * output, or zeros when {@link SynthConfig#syncSquareWave()} is false.
 *
 * <h2>Randomness and determinism</h2>
 *
 * <p>Each channel owns a SplitMix64 stream (seeded from (seed, channel)); one 64-bit draw gives one
 * approximately Gaussian value as the Irwin–Hall sum of its four 16-bit quarters (variance-normalised;
 * bounded at ±3.46 σ, excess kurtosis −0.3, made closer to Gaussian by the filter that sums many of
 * them). The common-mode noise has its own stream, units and stripes use {@link SplittableRandom}s
 * seeded from (seed, stream, index); transcendental functions use {@link StrictMath}. Because every
 * stream is consumed strictly in sample order and overlapping contributions are added in a fixed
 * order (sorted by sample, then unit), the bytes depend only on the config: not on the block size,
 * the thread count or the JVM.
 *
 * <h2>Streaming and speed</h2>
 *
 * <p>Blocks of {@code blockSamples} samples (0.25 s by default) are generated channel-major into a
 * float work array by groups of 32 channels in parallel, quantised and interleaved into one of two
 * direct little-endian buffers, and written by a separate writer thread while the next block is
 * generated. Spikes and stripes that straddle a block boundary stay in a pending list until their
 * last sample has been written. Ground truth is written incrementally in sample order.
 *
 * <p>Files are written under temporary names ({@code <final name>.part}) and renamed at the end (bin,
 * ground truth, then meta), so a killed run leaves no partial file under a final name.
 */
public final class SyntheticRecording {

  /** NP1.0 AP band: 1e6 × 0.6 V / 512 / gain 500 µV per bit. */
  public static final double UV_PER_BIT = 1e6 * 0.6 / 512 / 500;
  /** Bit of the sync word that carries the 1 Hz square wave. */
  public static final int SYNC_BIT = 6;
  /** NP1.0 part number written to the meta. */
  public static final String PROBE_PN = "PRB_1_4_0480_1";
  /**
   * Site x positions (µm) of channels c % 4 = 0..3 on an NP1.0 shank, as SpikeGLX writes them in
   * {@code ~snsGeomMap} (and probeinterface's catalogue): rows of two, odd rows shifted by 16 µm.
   */
  static final int[] SITE_X_UM = {27, 59, 11, 43};
  static final int ROW_PITCH_UM = 20;
  static final int SHANK_WIDTH_UM = 70;
  static final int DEFAULT_BLOCK_SAMPLES = 7500;
  static final int CHANNEL_GROUP = 32;
  static final String CSV_HEADER = "kind,sample,unit,channel,amplitude_uv,x_um,y_um,z_um,rate_hz";

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final float INV_UV_PER_BIT = (float) (1.0 / UV_PER_BIT);
  /** Variance of the sum of four independent uniform 16-bit integers. */
  private static final double IRWIN_HALL_VAR = 4.0 * (65536.0 * 65536.0 - 1.0) / 12.0;

  /** What {@link #write} produced. */
  public record Output(Path bin, Path meta, Path groundTruth, long samples, long bytes, long spikes,
      long stripes, double seconds) {
    /** Output bytes of the .bin per wall-clock second, in MB/s (10^6 bytes). */
    public double megabytesPerSecond() {
      return bytes / 1e6 / Math.max(seconds, 1e-9);
    }
  }

  private final SynthConfig cfg;
  private final int blockSamples;
  private final int threads;

  public SyntheticRecording(SynthConfig config) {
    this(config, DEFAULT_BLOCK_SAMPLES, Runtime.getRuntime().availableProcessors());
  }

  /** Package-private knobs: samples per block and worker threads (the bytes do not depend on either). */
  SyntheticRecording(SynthConfig config, int blockSamples, int threads) {
    if (blockSamples < 1 || blockSamples > (1 << 20)) {
      throw new IllegalArgumentException("blockSamples must be in 1..2^20, got " + blockSamples);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.cfg = config;
    this.blockSamples = blockSamples;
    this.threads = threads;
  }

  public SynthConfig config() {
    return cfg;
  }

  /** x of channel c's site in µm (NP1.0 staggered layout). */
  public static int siteXUm(int channel) {
    return SITE_X_UM[channel & 3];
  }

  /** y (depth along the shank) of channel c's site in µm: row c / 2, 20 µm pitch. */
  public static int siteYUm(int channel) {
    return ROW_PITCH_UM * (channel / 2);
  }

  /** {@code X.imec0.ap.meta} beside {@code X.imec0.ap.bin}. */
  public static Path metaPathFor(Path binPath) {
    String name = checkedName(binPath);
    return binPath.resolveSibling(name.substring(0, name.length() - ".bin".length()) + ".meta");
  }

  /** {@code X.groundtruth.csv} beside {@code X.imec0.ap.bin} (or {@code X.ap.bin}). */
  public static Path groundTruthPathFor(Path binPath) {
    String name = checkedName(binPath);
    String base = name.substring(0, name.length() - ".ap.bin".length());
    base = base.replaceFirst("\\.imec\\d*$", "");
    return binPath.resolveSibling(base + ".groundtruth.csv");
  }

  private static String checkedName(Path binPath) {
    Path file = binPath.getFileName();
    String name = file == null ? "" : file.toString();
    if (!name.endsWith(".ap.bin") || name.length() == ".ap.bin".length()) {
      throw new IllegalArgumentException("output must be a SpikeGLX AP binary named like "
          + "<run>_g0_t0.imec0.ap.bin (ending in .ap.bin), got: " + binPath);
    }
    return name;
  }

  // ---------------------------------------------------------------------------------------------
  // Model pieces

  /** A unit: location, template, per-channel weights, and its lazily drawn spike train. */
  private static final class Unit {
    final int id;
    final double x;
    final double y;
    final double z;
    final int peakChannel;
    final double peakUv;
    final double rateHz;
    final float[] template;
    final int[] chans;
    final float[] weights;
    final SplittableRandom train;
    final double meanExtraIsi;
    final double refractory;
    double nextTime;

    Unit(int id, double x, double y, double z, int peakChannel, double peakUv, double rateHz,
        float[] template, int[] chans, float[] weights, SplittableRandom train, double fs,
        double refractoryMs) {
      this.id = id;
      this.x = x;
      this.y = y;
      this.z = z;
      this.peakChannel = peakChannel;
      this.peakUv = peakUv;
      this.rateHz = rateHz;
      this.template = template;
      this.chans = chans;
      this.weights = weights;
      this.train = train;
      this.refractory = refractoryMs * 1e-3 * fs;
      this.meanExtraIsi = fs / rateHz - refractory;
      this.nextTime = exponential(train) * fs / rateHz;
    }

    long nextSample() {
      return (long) Math.floor(nextTime);
    }

    /** Amplitude of the spike at {@link #nextSample()} and advance to the next one. */
    double drawAmplitudeAndAdvance() {
      double amp = peakUv * (0.9 + 0.2 * train.nextDouble());
      nextTime += refractory + exponential(train) * meanExtraIsi;
      return amp;
    }
  }

  private record Spike(long sample, Unit unit, float amp) {}

  private record Stripe(long start, long peak, float amp) {}

  private static final Comparator<Spike> SPIKE_ORDER =
      Comparator.comparingLong(Spike::sample).thenComparingInt(s -> s.unit().id);

  private static double exponential(SplittableRandom r) {
    return -StrictMath.log(1.0 - r.nextDouble());
  }

  /** SplitMix64 finaliser. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long streamSeed(long seed, long stream, long index) {
    return mix64(mix64(seed + GOLDEN) + stream * 0xD1B54A32D192ED03L + index * GOLDEN);
  }

  /** Coefficients of the noise band-pass: one-pole high-pass then one-pole low-pass (bilinear). */
  private static final class BandPass {
    final float hpA;
    final float hpB;
    final float lpG;
    final float lpP;
    /** Sum of the squared impulse response. */
    final double energy;

    BandPass(double fs, double low, double high) {
      double kh = StrictMath.tan(Math.PI * low / fs);
      double kl = StrictMath.tan(Math.PI * high / fs);
      double a = 1 / (1 + kh);
      double b = (1 - kh) / (1 + kh);
      double g = kl / (1 + kl);
      double p = (1 - kl) / (1 + kl);
      hpA = (float) a;
      hpB = (float) b;
      lpG = (float) g;
      lpP = (float) p;
      double xp = 0;
      double yp = 0;
      double zp = 0;
      double e = 0;
      int n = (int) Math.max(1 << 16, 40 * fs / low);
      for (int i = 0; i < n; i++) {
        double x = i == 0 ? 1 : 0;
        double y = a * (x - xp) + b * yp;
        double zz = g * (y + yp) + p * zp;
        xp = x;
        yp = y;
        zp = zz;
        e += zz * zz;
      }
      energy = e;
    }

    /** Factor from (sum of four 16-bit uniforms − 131070) to filter input giving the wanted rms. */
    float inputScale(double rmsUv) {
      return (float) (rmsUv / Math.sqrt(energy) / Math.sqrt(IRWIN_HALL_VAR));
    }
  }

  /** State of one noise generator (RNG + filter), advanced in place. */
  private static final class NoiseState {
    long rng;
    float xp;
    float yp;
    float zp;

    NoiseState(long seed) {
      rng = seed;
    }
  }

  /**
   * Adds (or writes, when {@code add} is false) {@code len} filtered noise samples into dst;
   * the hot loop of the generator.
   */
  private static void noise(NoiseState st, BandPass f, float scale, float[] dst, int len,
      boolean add) {
    long s = st.rng;
    float xp = st.xp;
    float yp = st.yp;
    float zp = st.zp;
    final float a = f.hpA;
    final float b = f.hpB;
    final float g = f.lpG;
    final float p = f.lpP;
    for (int n = 0; n < len; n++) {
      s += GOLDEN;
      float x = irwinHall(mix64(s)) * scale;
      float y = a * (x - xp) + b * yp;
      float lp = g * (y + yp) + p * zp;
      xp = x;
      yp = y;
      zp = lp;
      dst[n] = add ? dst[n] + lp : lp;
    }
    st.rng = s;
    st.xp = xp;
    st.yp = yp;
    st.zp = zp;
  }

  /**
   * {@link #noise} for four channels at once (adding): four independent filter recursions in one loop
   * hide each other's floating-point latency. Same arithmetic per channel, so the same values.
   */
  private static void noise4(NoiseState s0, NoiseState s1, NoiseState s2, NoiseState s3,
      BandPass f, float scale, float[] d0, float[] d1, float[] d2, float[] d3, int len) {
    long r0 = s0.rng;
    long r1 = s1.rng;
    long r2 = s2.rng;
    long r3 = s3.rng;
    float x0 = s0.xp;
    float x1 = s1.xp;
    float x2 = s2.xp;
    float x3 = s3.xp;
    float y0 = s0.yp;
    float y1 = s1.yp;
    float y2 = s2.yp;
    float y3 = s3.yp;
    float z0 = s0.zp;
    float z1 = s1.zp;
    float z2 = s2.zp;
    float z3 = s3.zp;
    final float a = f.hpA;
    final float b = f.hpB;
    final float g = f.lpG;
    final float p = f.lpP;
    for (int n = 0; n < len; n++) {
      r0 += GOLDEN;
      r1 += GOLDEN;
      r2 += GOLDEN;
      r3 += GOLDEN;
      float u0 = irwinHall(mix64(r0)) * scale;
      float u1 = irwinHall(mix64(r1)) * scale;
      float u2 = irwinHall(mix64(r2)) * scale;
      float u3 = irwinHall(mix64(r3)) * scale;
      float h0 = a * (u0 - x0) + b * y0;
      float h1 = a * (u1 - x1) + b * y1;
      float h2 = a * (u2 - x2) + b * y2;
      float h3 = a * (u3 - x3) + b * y3;
      z0 = g * (h0 + y0) + p * z0;
      z1 = g * (h1 + y1) + p * z1;
      z2 = g * (h2 + y2) + p * z2;
      z3 = g * (h3 + y3) + p * z3;
      x0 = u0;
      x1 = u1;
      x2 = u2;
      x3 = u3;
      y0 = h0;
      y1 = h1;
      y2 = h2;
      y3 = h3;
      d0[n] = d0[n] + z0;
      d1[n] = d1[n] + z1;
      d2[n] = d2[n] + z2;
      d3[n] = d3[n] + z3;
    }
    s0.rng = r0;
    s1.rng = r1;
    s2.rng = r2;
    s3.rng = r3;
    s0.xp = x0;
    s1.xp = x1;
    s2.xp = x2;
    s3.xp = x3;
    s0.yp = y0;
    s1.yp = y1;
    s2.yp = y2;
    s3.yp = y3;
    s0.zp = z0;
    s1.zp = z1;
    s2.zp = z2;
    s3.zp = z3;
  }

  /** Sum of the four 16-bit quarters of z, centred (mean 0, variance {@link #IRWIN_HALL_VAR}). */
  private static float irwinHall(long z) {
    int sum = (int) (z & 0xFFFF) + (int) ((z >>> 16) & 0xFFFF) + (int) ((z >>> 32) & 0xFFFF)
        + (int) (z >>> 48);
    return sum - 131070;
  }

  private List<Unit> makeUnits(int pre, int post) {
    double fs = cfg.sampleRateHz();
    int nch = cfg.channels();
    double yMax = siteYUm(nch - 1);
    SplittableRandom r = new SplittableRandom(streamSeed(cfg.seed(), 1, 0));
    List<Unit> units = new ArrayList<>(cfg.units());
    for (int u = 0; u < cfg.units(); u++) {
      double x = -10 + 90 * r.nextDouble();
      double y = yMax * r.nextDouble();
      double z = 15 + 30 * r.nextDouble();
      double peakUv = cfg.minPeakUv() + (cfg.maxPeakUv() - cfg.minPeakUv()) * r.nextDouble();
      double rate = cfg.minRateHz() + (cfg.maxRateHz() - cfg.minRateHz()) * r.nextDouble();
      double sigma = 0.08 + 0.06 * r.nextDouble();
      double ahp = 0.20 + 0.25 * r.nextDouble();
      double delay = 0.30 + 0.30 * r.nextDouble();
      float[] tmpl = new float[pre + post + 1];
      for (int k = -pre; k <= post; k++) {
        double tms = k * 1000.0 / fs;
        double v = -StrictMath.exp(-tms * tms / (2 * sigma * sigma));
        if (tms > 0) {
          double q = tms / delay;
          v += ahp * q * q * StrictMath.exp(1 - q * q);
        }
        tmpl[k + pre] = (float) v;
      }
      tmpl[pre] = -1f;
      double[] d = new double[nch];
      int peak = 0;
      for (int c = 0; c < nch; c++) {
        double dx = siteXUm(c) - x;
        double dy = siteYUm(c) - y;
        d[c] = Math.sqrt(dx * dx + dy * dy + z * z);
        if (d[c] < d[peak]) {
          peak = c;
        }
      }
      int[] chans = new int[nch];
      float[] w = new float[nch];
      int m = 0;
      for (int c = 0; c < nch; c++) {
        double wc = c == peak ? 1.0 : StrictMath.exp(-(d[c] - d[peak]) / cfg.decayUm());
        if (wc >= 0.01) {
          chans[m] = c;
          w[m] = (float) wc;
          m++;
        }
      }
      SplittableRandom train = new SplittableRandom(streamSeed(cfg.seed(), 2, u));
      units.add(new Unit(u, x, y, z, peak, peakUv, rate, tmpl, java.util.Arrays.copyOf(chans, m),
          java.util.Arrays.copyOf(w, m), train, fs, cfg.refractoryMs()));
    }
    return units;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /**
   * Writes the recording to {@code binPath} (which must end in {@code .ap.bin}), its {@code .meta}
   * and its ground truth beside it, creating parent directories. Existing files are replaced. The
   * data is not fsync'ed: the rename protects against a killed process, not against power loss
   * (an fsync of a multi-GB file costs more than generating it).
   */
  public Output write(Path binPath) throws IOException {
    Path bin = binPath.toAbsolutePath().normalize();
    Path meta = metaPathFor(bin);
    Path gt = groundTruthPathFor(bin);
    if (bin.getParent() != null) {
      Files.createDirectories(bin.getParent());
    }
    Path binTmp = bin.resolveSibling(bin.getFileName() + ".part");
    Path metaTmp = meta.resolveSibling(meta.getFileName() + ".part");
    Path gtTmp = gt.resolveSibling(gt.getFileName() + ".part");
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      long[] counts = writeData(binTmp, gtTmp);
      long size = Files.size(binTmp);
      Files.writeString(metaTmp, metaText(bin, size), StandardCharsets.UTF_8);
      // the meta appears last: a reader never sees a final meta next to a stale or partial bin
      Files.deleteIfExists(meta);
      move(binTmp, bin);
      move(gtTmp, gt);
      move(metaTmp, meta);
      ok = true;
      double secs = (System.nanoTime() - t0) / 1e9;
      return new Output(bin, meta, gt, cfg.numSamples(), size, counts[0], counts[1], secs);
    } finally {
      if (!ok) {
        Files.deleteIfExists(binTmp);
        Files.deleteIfExists(metaTmp);
        Files.deleteIfExists(gtTmp);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Generates everything; returns {spikes, stripes} written to the ground truth. */
  private long[] writeData(Path binTmp, Path gtTmp) throws IOException {
    final double fs = cfg.sampleRateHz();
    final int nch = cfg.channels();
    final int stride = nch + 1;
    final long total = cfg.numSamples();
    final int pre = (int) Math.ceil(1e-3 * fs);
    final int post = (int) Math.ceil(2e-3 * fs);
    final int stripeHalf = (int) Math.max(1, Math.round(0.5e-3 * fs));
    final int stripeLen = 2 * stripeHalf + 1;
    final float[] stripeShape = new float[stripeLen];
    for (int k = 0; k < stripeLen; k++) {
      stripeShape[k] = (float) (0.5 * (1 - StrictMath.cos(2 * Math.PI * (k + 1) / (stripeLen + 1))));
    }
    stripeShape[stripeHalf] = 1f;

    final BandPass bp = new BandPass(fs, cfg.noiseLowHz(), cfg.noiseHighHz());
    final float chanScale = bp.inputScale(cfg.noiseRmsUv());
    final float commonScale = bp.inputScale(cfg.commonNoiseRmsUv());
    final NoiseState[] chanNoise = new NoiseState[nch];
    for (int c = 0; c < nch; c++) {
      chanNoise[c] = new NoiseState(streamSeed(cfg.seed(), 5, c));
    }
    final NoiseState commonNoise = new NoiseState(streamSeed(cfg.seed(), 4, 0));
    SplittableRandom phaseRng = new SplittableRandom(streamSeed(cfg.seed(), 6, 0));
    final double linePhase = 2 * Math.PI * phaseRng.nextDouble();
    final double lineOmega = 2 * Math.PI * cfg.lineFreqHz() / fs;
    final long syncHalf = Math.round(fs / 2);
    final boolean sync = cfg.syncSquareWave();

    final List<Unit> units = makeUnits(pre, post);
    final SplittableRandom stripeRng = new SplittableRandom(streamSeed(cfg.seed(), 3, 0));
    final double stripeMeanGap = cfg.stripeRateHz() > 0 ? fs / cfg.stripeRateHz() : 0;
    double nextStripeTime = cfg.stripeRateHz() > 0 ? exponential(stripeRng) * stripeMeanGap
        : Double.POSITIVE_INFINITY;

    final int maxBlock = (int) Math.min(blockSamples, total);
    final float[][] work = new float[nch][maxBlock];
    final float[] shared = new float[maxBlock];
    // two interleaved int16 blocks (one being filled while the other is written) and the
    // writer thread's direct buffer
    final short[][] out = {new short[maxBlock * stride], new short[maxBlock * stride]};
    final ByteBuffer direct =
        ByteBuffer.allocateDirect(maxBlock * stride * 2).order(ByteOrder.LITTLE_ENDIAN);
    final Future<?>[] pendingWrite = new Future<?>[2];
    final List<Spike> pending = new ArrayList<>();
    final ArrayDeque<Stripe> stripes = new ArrayDeque<>();
    final List<Spike> toEmitSpikes = new ArrayList<>();
    long nSpikes = 0;
    long nStripes = 0;
    final int nGroups = (nch + CHANNEL_GROUP - 1) / CHANNEL_GROUP;

    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, daemon("synth-gen"))
        : null;
    ExecutorService writer = Executors.newSingleThreadExecutor(daemon("synth-write"));
    try (FileChannel ch = FileChannel.open(binTmp, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        BufferedWriter gtw = Files.newBufferedWriter(gtTmp, StandardCharsets.UTF_8)) {
      gtw.write(CSV_HEADER);
      gtw.write('\n');
      for (Unit u : units) {
        gtw.write("unit,," + u.id + "," + u.peakChannel + "," + fmt(-u.peakUv) + "," + fmt(u.x)
            + "," + fmt(u.y) + "," + fmt(u.z) + "," + fmt(u.rateHz) + "\n");
      }
      int bufIdx = 0;
      for (long b0 = 0; b0 < total; b0 += blockSamples, bufIdx ^= 1) {
        final int len = (int) Math.min(blockSamples, total - b0);
        final long b1 = b0 + len;
        final long blockStart = b0;

        // spikes whose window reaches into this block
        boolean added = false;
        for (Unit u : units) {
          long s;
          while ((s = u.nextSample()) < total && s - pre < b1) {
            pending.add(new Spike(s, u, (float) u.drawAmplitudeAndAdvance()));
            added = true;
          }
        }
        if (added) {
          pending.sort(SPIKE_ORDER);
        }
        // stripes starting before the end of this block
        while (true) {
          long start = (long) Math.floor(nextStripeTime);
          if (nextStripeTime >= total || start + stripeHalf >= total || start >= b1) {
            break;
          }
          double mag = cfg.minStripeUv()
              + (cfg.maxStripeUv() - cfg.minStripeUv()) * stripeRng.nextDouble();
          float amp = (float) (stripeRng.nextBoolean() ? mag : -mag);
          stripes.add(new Stripe(start, start + stripeHalf, amp));
          nextStripeTime += exponential(stripeRng) * stripeMeanGap;
        }

        // common mode: broadband + line + stripes, identical on all channels
        noise(commonNoise, bp, commonScale, shared, len, false);
        double lineAmp = cfg.lineNoiseUv();
        for (int n = 0; n < len; n++) {
          double v = shared[n] + lineAmp * StrictMath.sin(lineOmega * (b0 + n) + linePhase);
          shared[n] = (float) v;
        }
        for (Stripe st : stripes) {
          long from = Math.max(st.start(), b0);
          long to = Math.min(st.start() + stripeLen, b1);
          for (long n = from; n < to; n++) {
            shared[(int) (n - b0)] += st.amp() * stripeShape[(int) (n - st.start())];
          }
        }

        // wait until the buffer we are about to fill has been written
        if (pendingWrite[bufIdx] != null) {
          await(pendingWrite[bufIdx]);
        }
        final short[] bb = out[bufIdx];
        List<Future<?>> tasks = new ArrayList<>(nGroups);
        for (int g = 0; g < nGroups; g++) {
          final int c0 = g * CHANNEL_GROUP;
          final int c1 = Math.min(nch, c0 + CHANNEL_GROUP);
          Runnable task = () -> generateGroup(c0, c1, blockStart, len, stride, pre, post, work,
              shared, chanNoise, bp, chanScale, pending, bb);
          if (pool != null) {
            tasks.add(pool.submit(task));
          } else {
            task.run();
          }
        }
        for (int n = 0; n < len; n++) {
          short v = 0;
          if (sync && ((b0 + n) / syncHalf) % 2 == 0) {
            v = (short) (1 << SYNC_BIT);
          }
          bb[n * stride + nch] = v;
        }
        for (Future<?> f : tasks) {
          await(f);
        }
        final int nwords = len * stride;
        pendingWrite[bufIdx] = writer.submit(() -> {
          direct.clear();
          direct.asShortBuffer().put(bb, 0, nwords);
          direct.limit(nwords * 2);
          try {
            while (direct.hasRemaining()) {
              ch.write(direct);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });

        // ground truth: everything whose sample lies in this block, in (sample, kind, unit) order
        toEmitSpikes.clear();
        for (Spike s : pending) {
          if (s.sample() >= b0 && s.sample() < b1) {
            toEmitSpikes.add(s);
          }
        }
        int si = 0;
        for (Stripe st : stripes) {
          if (st.peak() < b0 || st.peak() >= b1) {
            continue;
          }
          while (si < toEmitSpikes.size() && toEmitSpikes.get(si).sample() < st.peak()) {
            writeSpike(gtw, toEmitSpikes.get(si++));
            nSpikes++;
          }
          gtw.write("stripe," + st.peak() + ",,," + fmt(st.amp()) + ",,,,\n");
          nStripes++;
        }
        while (si < toEmitSpikes.size()) {
          writeSpike(gtw, toEmitSpikes.get(si++));
          nSpikes++;
        }
        // retire what is fully written
        pending.removeIf(s -> s.sample() + post < b1);
        while (!stripes.isEmpty() && stripes.peekFirst().start() + stripeLen <= b1) {
          stripes.removeFirst();
        }
      }
      for (Future<?> f : pendingWrite) {
        if (f != null) {
          await(f);
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
      writer.shutdownNow();
    }
    return new long[] {nSpikes, nStripes};
  }

  /** Noise + common mode + spikes for channels [c0, c1), quantised and interleaved into out. */
  private static void generateGroup(int c0, int c1, long b0, int len, int stride, int pre, int post,
      float[][] work, float[] shared, NoiseState[] chanNoise, BandPass bp, float chanScale,
      List<Spike> pending, short[] out) {
    for (int c = c0; c < c1; c++) {
      System.arraycopy(shared, 0, work[c], 0, len);
    }
    int q4 = c0;
    for (; q4 + 4 <= c1; q4 += 4) {
      noise4(chanNoise[q4], chanNoise[q4 + 1], chanNoise[q4 + 2], chanNoise[q4 + 3], bp, chanScale,
          work[q4], work[q4 + 1], work[q4 + 2], work[q4 + 3], len);
    }
    for (; q4 < c1; q4++) {
      noise(chanNoise[q4], bp, chanScale, work[q4], len, true);
    }
    long b1 = b0 + len;
    for (Spike s : pending) {
      long from = Math.max(s.sample() - pre, b0);
      long to = Math.min(s.sample() + post + 1, b1);
      if (from >= to) {
        continue;
      }
      Unit u = s.unit();
      float[] tmpl = u.template;
      int[] chans = u.chans;
      int k0 = (int) (from - (s.sample() - pre));
      int n0 = (int) (from - b0);
      int cnt = (int) (to - from);
      for (int i = 0; i < chans.length; i++) {
        int c = chans[i];
        if (c < c0 || c >= c1) {
          continue;
        }
        float a = s.amp() * u.weights[i];
        float[] w = work[c];
        for (int j = 0; j < cnt; j++) {
          w[n0 + j] += a * tmpl[k0 + j];
        }
      }
    }
    for (int n = 0; n < len; n++) {
      int base = n * stride;
      for (int c = c0; c < c1; c++) {
        out[base + c] = quantise(work[c][n]);
      }
    }
  }

  /**
   * µV → int16 count: clamp to the int16 range, then round half up, computed as a truncation of a
   * positive double (exact for these magnitudes and cheaper than {@link Math#round(float)}).
   */
  static short quantise(float uv) {
    float v = uv * INV_UV_PER_BIT;
    if (v > 32767f) {
      v = 32767f;
    } else if (v < -32768f) {
      v = -32768f;
    }
    return (short) ((int) (v + 32768.5) - 32768);
  }

  private static void writeSpike(BufferedWriter w, Spike s) throws IOException {
    w.write("spike," + s.sample() + "," + s.unit().id + "," + s.unit().peakChannel + ","
        + fmt(-s.amp()) + ",,,,\n");
  }

  private static void await(Future<?> f) throws IOException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing synthetic recording");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IOException(c);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Two decimals, no exponent. */
  static String fmt(double v) {
    return BigDecimal.valueOf(Math.round(v * 100)).movePointLeft(2).stripTrailingZeros()
        .toPlainString();
  }

  private static String plain(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return BigDecimal.valueOf(v).toPlainString();
  }

  // ---------------------------------------------------------------------------------------------
  // Meta

  /** The .meta text (SpikeGLX key=value lines, sorted with the {@code ~} tables last). */
  String metaText(Path bin, long fileSizeBytes) {
    int n = cfg.channels();
    double fs = cfg.sampleRateHz();
    Map<String, String> m = new TreeMap<>();
    m.put("acqApLfSy", n + "," + n + ",1");
    m.put("appVersion", "20230411");
    m.put("fileCreateTime", "2000-01-01T00:00:00");
    m.put("fileName", bin.toAbsolutePath().toString().replace('\\', '/'));
    m.put("fileSizeBytes", Long.toString(fileSizeBytes));
    m.put("fileTimeSecs", plain(cfg.numSamples() / fs));
    m.put("firstSample", "0");
    m.put("gateMode", "Immediate");
    m.put("imAiRangeMax", "0.6");
    m.put("imAiRangeMin", "-0.6");
    m.put("imChan0apGain", "500");
    m.put("imChan0lfGain", "250");
    m.put("imDatPrb_pn", PROBE_PN);
    m.put("imDatPrb_type", "0");
    m.put("imMaxInt", "512");
    m.put("imSampRate", plain(fs));
    m.put("imTrgRising", "true");
    m.put("imTrgSource", "0");
    m.put("nSavedChans", Integer.toString(n + 1));
    m.put("snsApLfSy", n + ",0,1");
    m.put("snsSaveChanSubset", "all");
    m.put("syncSourceIdx", cfg.syncSquareWave() ? "1" : "0");
    m.put("syncSourcePeriod", "1");
    m.put("trigMode", "Immediate");
    m.put("typeImEnabled", "1");
    m.put("typeNiEnabled", "0");
    m.put("typeObEnabled", "0");
    m.put("typeThis", "imec");
    m.put("userNotes", "synthetic recording written by specus synth; seed=" + cfg.seed()
        + " units=" + cfg.units() + " noiseRmsUv=" + cfg.noiseRmsUv());
    StringBuilder imro = new StringBuilder("(0," + n + ")");
    StringBuilder chan = new StringBuilder("(" + n + "," + n + ",1)");
    StringBuilder geom = new StringBuilder("(" + PROBE_PN + ",1,0," + SHANK_WIDTH_UM + ")");
    StringBuilder shank = new StringBuilder("(1,2,480)");
    for (int c = 0; c < n; c++) {
      imro.append('(').append(c).append(" 0 0 500 250 1)");
      chan.append("(AP").append(c).append(';').append(c).append(':').append(c).append(')');
      geom.append("(0:").append(siteXUm(c)).append(':').append(siteYUm(c)).append(":1)");
      shank.append("(0:").append(c & 1).append(':').append(c / 2).append(":1)");
    }
    chan.append("(SY0;").append(n).append(':').append(n).append(')');
    m.put("~imroTbl", imro.toString());
    m.put("~snsChanMap", chan.toString());
    m.put("~snsGeomMap", geom.toString());
    m.put("~snsShankMap", shank.toString());
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : m.entrySet()) {
      sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    return sb.toString();
  }
}
