package org.specus.io.spikeglx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a SpikeGLX {@code .meta} says about the channels of its stream, derived from the metadata
 * alone (no {@code .bin} needed): which columns of a sample are processed and which are sync,
 * their ids, gains, positions and the sampling rate.
 *
 * <p>Stream layout: a file row holds {@code nSavedChans} int16 words; the saved channels are in
 * ascending acquisition order, so the neural (AP or LF) or analog (nidq MN, MA, XA) channels come
 * first and the sync word(s) (imec SY, nidq digital words) last. The processed channels are
 * therefore always the first {@link #numChannels()} columns.
 */
public final class SpikeGlxChannels {

  /** Which kind of stream a file holds. */
  public enum Stream {
    AP("imec AP"),
    LF("imec LF"),
    NIDQ("nidq");

    private final String label;

    Stream(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private static final double DEFAULT_IM_AI_RANGE_MAX = 0.6;
  private static final int DEFAULT_NI_MAX_INT = 32768;

  private final SpikeGlxMeta meta;
  private final Stream stream;
  private final ProbeType probe;
  private final int savedChannels;
  private final int[] syncColumns;
  private final List<String> ids;
  private final double[] gainToUv;
  private final double[][] locations;
  private final double samplingRate;
  private final List<String> warnings;

  private SpikeGlxChannels(SpikeGlxMeta meta, Stream stream, ProbeType probe, int savedChannels, int[] syncColumns,
      List<String> ids, double[] gainToUv, double[][] locations, double samplingRate, List<String> warnings) {
    this.meta = meta;
    this.stream = stream;
    this.probe = probe;
    this.savedChannels = savedChannels;
    this.syncColumns = syncColumns;
    this.ids = ids;
    this.gainToUv = gainToUv;
    this.locations = locations;
    this.samplingRate = samplingRate;
    this.warnings = warnings;
  }

  /**
   * Derives the channel model of {@code meta}.
   *
   * @throws org.specus.io.RecordingException naming the file and the key when the metadata is
   *     missing something required or contradicts itself
   */
  public static SpikeGlxChannels of(SpikeGlxMeta meta) {
    String type = meta.optString("typeThis").orElse(null);
    if (type == null) {
      type = meta.has("snsMnMaXaDw") || meta.has("niSampRate") ? "nidq" : "imec";
    }
    return switch (type) {
      case "imec" -> imec(meta);
      case "nidq" -> nidq(meta);
      default -> throw meta.error("typeThis=" + type + " is not supported (supported: imec, nidq)");
    };
  }

  private static SpikeGlxChannels imec(SpikeGlxMeta meta) {
    List<String> warnings = new ArrayList<>();
    int nSaved = savedCount(meta);
    int[] counts = meta.integers("snsApLfSy", 3);
    checkSum(meta, "snsApLfSy", counts, nSaved);
    Stream stream;
    if (counts[0] > 0 && counts[1] == 0) {
      stream = Stream.AP;
    } else if (counts[1] > 0 && counts[0] == 0) {
      stream = Stream.LF;
    } else {
      throw meta.error("snsApLfSy=" + meta.string("snsApLfSy")
          + " should have AP or LF channels, not " + (counts[0] > 0 ? "both" : "neither"));
    }
    int nNeural = counts[0] + counts[1];
    int[] saved = SavedChannels.of(meta, nSaved);
    ProbeType probe = ProbeType.of(meta, warnings);
    Optional<ImroTable> imro = ImroTable.of(meta);

    // Acquisition order is AP channels, LF channels, sync; an LF channel's id counts from the first LF.
    int[] acq = meta.has("acqApLfSy") ? meta.integers("acqApLfSy", 3) : null;
    int apAcquired;
    if (acq != null) {
      apAcquired = acq[0];
    } else if (stream == Stream.AP) {
      apAcquired = Integer.MAX_VALUE;
    } else if (imro.isPresent()) {
      apAcquired = imro.get().size();
    } else {
      throw meta.missing("acqApLfSy");
    }
    int bandAcquired = acq == null ? Integer.MAX_VALUE : stream == Stream.AP ? acq[0] : acq[1];
    int[] neuralIndex = new int[nNeural];
    List<String> ids = new ArrayList<>(nNeural);
    for (int c = 0; c < nNeural; c++) {
      int k = stream == Stream.AP ? saved[c] : saved[c] - apAcquired;
      if (k < 0 || k >= bandAcquired) {
        throw meta.error("snsSaveChanSubset saves acquisition channel " + saved[c] + " as " + stream
            + " channel " + c + ", but acqApLfSy=" + meta.string("acqApLfSy") + " has no such " + stream + " channel");
      }
      neuralIndex[c] = k;
      ids.add(stream.name() + k);
    }
    if (imro.isPresent() && acq != null && imro.get().size() != Math.max(acq[0], acq[1])) {
      throw meta.error("~imroTbl has " + imro.get().size() + " entries but acqApLfSy="
          + meta.string("acqApLfSy") + " acquires " + Math.max(acq[0], acq[1]) + " channels per band");
    }

    double rate = positive(meta, "imSampRate");
    double range;
    if (meta.has("imAiRangeMax")) {
      range = positive(meta, "imAiRangeMax");
    } else {
      range = DEFAULT_IM_AI_RANGE_MAX;
      warnings.add(meta.fileName() + ": no imAiRangeMax; assuming " + DEFAULT_IM_AI_RANGE_MAX + " V");
    }
    double maxInt;
    if (meta.has("imMaxInt")) {
      maxInt = positive(meta, "imMaxInt");
    } else if (probe.defaultMaxInt() > 0) {
      // Files older than ~2020 omit imMaxInt; NP1.0-family ADCs are 10 bit.
      maxInt = probe.defaultMaxInt();
    } else {
      throw meta.missing("imMaxInt");
    }
    double[] gains = new double[nNeural];
    for (int c = 0; c < nNeural; c++) {
      gains[c] = 1e6 * range / maxInt / bandGain(meta, probe, imro, stream, neuralIndex[c]);
    }
    double[][] xy = ChannelGeometry.of(meta, probe, imro, neuralIndex, warnings);
    return new SpikeGlxChannels(meta, stream, probe, nSaved, columns(nNeural, nSaved), List.copyOf(ids), gains, xy,
        rate, warnings);
  }

  /**
   * Amplifier gain of one channel. NP1.0-family imro tables hold it per channel (and channels may
   * differ), so they win over {@code imChan0apGain}, which describes channel 0 only; NP2.0 gains
   * are fixed by the probe type.
   */
  private static double bandGain(SpikeGlxMeta meta, ProbeType probe, Optional<ImroTable> imro, Stream stream,
      int chan) {
    if (probe.imroHasGains() && imro.isPresent()) {
      return stream == Stream.AP ? imro.get().apGain(chan) : imro.get().lfGain(chan);
    }
    String key = stream == Stream.AP ? "imChan0apGain" : "imChan0lfGain";
    if (meta.has(key)) {
      return positive(meta, key);
    }
    if (stream == Stream.AP && !Double.isNaN(probe.fixedApGain())) {
      return probe.fixedApGain();
    }
    if (probe.imroHasGains()) {
      throw meta.missing("imroTbl");
    }
    throw meta.error("cannot determine the " + stream + " gain of probe type " + probe.label()
        + ": no " + key + " and no known fixed gain");
  }

  private static SpikeGlxChannels nidq(SpikeGlxMeta meta) {
    List<String> warnings = new ArrayList<>();
    int nSaved = savedCount(meta);
    int[] counts = meta.integers("snsMnMaXaDw", 4);
    checkSum(meta, "snsMnMaXaDw", counts, nSaved);
    int nAnalog = counts[0] + counts[1] + counts[2];
    if (nAnalog == 0) {
      throw meta.error("snsMnMaXaDw=" + meta.string("snsMnMaXaDw")
          + " saves digital words only: no analog channel to preprocess");
    }
    int[] saved = SavedChannels.of(meta, nSaved);
    int[] acq = meta.has("acqMnMaXaDw") ? meta.integers("acqMnMaXaDw", 4) : counts;
    double rate = positive(meta, "niSampRate");
    double range = positive(meta, "niAiRangeMax");
    double maxInt = meta.has("niMaxInt") ? positive(meta, "niMaxInt") : DEFAULT_NI_MAX_INT;
    String[] prefix = {"MN", "MA", "XA"};
    List<String> ids = new ArrayList<>(nAnalog);
    double[] gains = new double[nAnalog];
    for (int c = 0; c < nAnalog; c++) {
      int k = saved[c];
      int t = 0;
      while (t < 3 && k >= acq[t]) {
        k -= acq[t];
        t++;
      }
      if (t == 3) {
        throw meta.error("snsSaveChanSubset saves acquisition channel " + saved[c]
            + " as analog channel " + c + ", but acqMnMaXaDw=" + meta.optString("acqMnMaXaDw").orElse("?")
            + " has no such analog channel");
      }
      ids.add(prefix[t] + k);
      // Auxiliary analog (XA) inputs have no amplifier.
      double gain = t == 0 ? positive(meta, "niMNGain") : t == 1 ? positive(meta, "niMAGain") : 1.0;
      gains[c] = 1e6 * range / maxInt / gain;
    }
    warnings.add(meta.fileName() + ": nidq stream; no contact positions");
    return new SpikeGlxChannels(meta, Stream.NIDQ, null, nSaved, columns(nAnalog, nSaved), List.copyOf(ids), gains,
        null, rate, warnings);
  }

  private static int savedCount(SpikeGlxMeta meta) {
    int n = meta.integer("nSavedChans");
    if (n <= 0) {
      throw meta.error("nSavedChans=" + n + " should be positive");
    }
    return n;
  }

  private static void checkSum(SpikeGlxMeta meta, String key, int[] counts, int nSaved) {
    int sum = 0;
    for (int c : counts) {
      if (c < 0) {
        throw meta.error(key + "=" + meta.string(key) + " has a negative count");
      }
      sum += c;
    }
    if (sum != nSaved) {
      throw meta.error(key + "=" + meta.string(key) + " adds up to " + sum + " channels but nSavedChans=" + nSaved);
    }
  }

  private static double positive(SpikeGlxMeta meta, String key) {
    double v = meta.number(key);
    if (v <= 0) {
      throw meta.error("key '" + key + "' value '" + meta.string(key) + "' should be positive");
    }
    return v;
  }

  private static int[] columns(int from, int to) {
    int[] c = new int[to - from];
    Arrays.setAll(c, i -> from + i);
    return c;
  }

  public SpikeGlxMeta meta() {
    return meta;
  }

  public Stream stream() {
    return stream;
  }

  /** The probe type, or {@code null} for nidq streams. */
  public ProbeType probe() {
    return probe;
  }

  /** {@code nSavedChans}: int16 words per sample in the {@code .bin}. */
  public int savedChannels() {
    return savedChannels;
  }

  /** Processed channels: the first {@code numChannels()} words of each sample. */
  public int numChannels() {
    return ids.size();
  }

  /** Positions within a sample of the sync (imec SY) or digital-word (nidq) channels. */
  public int[] syncColumns() {
    return syncColumns.clone();
  }

  public List<String> channelIds() {
    return ids;
  }

  public double[] gainToUv() {
    return gainToUv.clone();
  }

  /** {@code [channel][x, y]} in µm, or {@code null} when unknown (see {@link #warnings()}). */
  public double[][] locations() {
    if (locations == null) {
      return null;
    }
    double[][] copy = new double[locations.length][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = locations[i].clone();
    }
    return copy;
  }

  public double samplingRate() {
    return samplingRate;
  }

  /** {@code fileSizeBytes} as the meta states it, if it does. */
  public OptionalLong declaredFileSizeBytes() {
    return meta.optLongInteger("fileSizeBytes");
  }

  /** What was odd about the metadata but did not stop it from being understood. */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }
}
