package org.specus.io;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How to open a recording when its path alone does not say everything: the reader to use (instead
 * of detecting it from the path), which stream or series to take from a file that holds several,
 * the layout of a headerless binary, and whether to join a SpikeGLX run's trigger files.
 *
 * <p>Immutable; every field is optional ({@code null} or {@code false} means "not given"). It travels
 * with the pipeline so that workers reopen the recording exactly as it was opened at construction.
 *
 * @param format reader name ({@code spikeglx}, {@code openephys}, {@code nwb}, {@code zarr}, {@code raw},
 *     {@code mef3}), or {@code null} to detect it from the path
 * @param stream Open Ephys continuous stream (folder name such as {@code Neuropix-PXI-100.0}, or the
 *     stream name of GUI 0.6+ such as {@code ProbeA-AP}); for MEF 3.0, the sampling rate of the
 *     channels to read ({@code 32000Hz}) in a session that mixes rates
 * @param series NWB ElectricalSeries name under {@code /acquisition}
 * @param rawDtype headerless binary sample type: {@code int16}, {@code uint16}, {@code int32}, {@code float32}, {@code float64}
 * @param rawChannels headerless binary channel count (interleaved, sample-major, as Kilosort writes it)
 * @param rawRate headerless binary sampling rate in Hz
 * @param rawOffset bytes to skip at the start of a headerless binary
 * @param rawGainToUv µV per stored value of a headerless binary (default 1)
 * @param rawPositions {@code .npy} file with {@code [channels, 2]} contact positions in µm for a headerless binary
 * @param concatTriggers join every trigger file {@code _t0, _t1, ...} of the given SpikeGLX gate, in order
 * @param password MEF 3.0 session password (level 1 or 2); never in provenance or {@link #toString()}
 */
public record ReaderOptions(
    String format,
    String stream,
    String series,
    String rawDtype,
    Integer rawChannels,
    Double rawRate,
    Long rawOffset,
    Double rawGainToUv,
    String rawPositions,
    boolean concatTriggers,
    String password)
    implements Serializable {

  public static final java.util.List<String> FORMATS = java.util.List.of("spikeglx", "openephys", "nwb", "zarr", "raw",
      "mef3");

  public ReaderOptions {
    if (format != null) {
      format = format.toLowerCase(Locale.ROOT);
      if (format.equals("auto")) {
        format = null;
      } else if (!FORMATS.contains(format)) {
        throw new IllegalArgumentException("--format-in must be one of auto, " + String.join(", ", FORMATS)
            + "; got '" + format + "'");
      }
    }
    if (rawChannels != null && rawChannels < 1) {
      throw new IllegalArgumentException("--raw-channels must be at least 1, got " + rawChannels);
    }
    if (rawRate != null && !(rawRate > 0 && Double.isFinite(rawRate))) {
      throw new IllegalArgumentException("--raw-rate must be a positive number of Hz, got " + rawRate);
    }
    if (rawOffset != null && rawOffset < 0) {
      throw new IllegalArgumentException("--raw-offset must be a number of bytes >= 0, got " + rawOffset);
    }
    if (rawGainToUv != null && !(rawGainToUv > 0 && Double.isFinite(rawGainToUv))) {
      throw new IllegalArgumentException("--raw-gain must be a positive number of µV per value, got " + rawGainToUv);
    }
  }

  /** Nothing given: detect everything from the path. */
  public static ReaderOptions auto() {
    return new ReaderOptions(null, null, null, null, null, null, null, null, null, false, null);
  }

  public ReaderOptions withFormat(String f) {
    return new ReaderOptions(f, stream, series, rawDtype, rawChannels, rawRate, rawOffset, rawGainToUv, rawPositions,
        concatTriggers, password);
  }

  public ReaderOptions withStream(String s) {
    return new ReaderOptions(format, s, series, rawDtype, rawChannels, rawRate, rawOffset, rawGainToUv, rawPositions,
        concatTriggers, password);
  }

  public ReaderOptions withSeries(String s) {
    return new ReaderOptions(format, stream, s, rawDtype, rawChannels, rawRate, rawOffset, rawGainToUv, rawPositions,
        concatTriggers, password);
  }

  /** Layout of a headerless binary; {@code offsetBytes} may be {@code null} for 0. */
  public ReaderOptions withRaw(String dtype, Integer channels, Double rate, Long offsetBytes) {
    return new ReaderOptions(format, stream, series, dtype, channels, rate, offsetBytes, rawGainToUv, rawPositions,
        concatTriggers, password);
  }

  public ReaderOptions withRawGainToUv(Double gain) {
    return new ReaderOptions(format, stream, series, rawDtype, rawChannels, rawRate, rawOffset, gain, rawPositions,
        concatTriggers, password);
  }

  public ReaderOptions withRawPositions(String npyFile) {
    return new ReaderOptions(format, stream, series, rawDtype, rawChannels, rawRate, rawOffset, rawGainToUv, npyFile,
        concatTriggers, password);
  }

  public ReaderOptions withConcatTriggers(boolean concat) {
    return new ReaderOptions(format, stream, series, rawDtype, rawChannels, rawRate, rawOffset, rawGainToUv, rawPositions,
        concat, password);
  }

  public ReaderOptions withPassword(String p) {
    return new ReaderOptions(format, stream, series, rawDtype, rawChannels, rawRate, rawOffset, rawGainToUv, rawPositions,
        concatTriggers, p == null || p.isEmpty() ? null : p);
  }

  /** The record's own {@code toString} would print the password into logs. */
  @Override
  public String toString() {
    return "ReaderOptions" + toMap() + (password != null ? " (with a password)" : "");
  }

  /** True when any headerless-binary layout option was given. */
  public boolean hasRawLayout() {
    return rawDtype != null || rawChannels != null || rawRate != null;
  }

  /** The options that were given, for provenance (empty when everything was detected). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "format", format);
    put(m, "stream", stream);
    put(m, "series", series);
    put(m, "raw_dtype", rawDtype);
    put(m, "raw_channels", rawChannels);
    put(m, "raw_rate_hz", rawRate);
    put(m, "raw_offset_bytes", rawOffset);
    put(m, "raw_gain_to_uV", rawGainToUv);
    put(m, "raw_positions", rawPositions);
    if (concatTriggers) {
      m.put("concat_triggers", true);
    }
    return m;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
