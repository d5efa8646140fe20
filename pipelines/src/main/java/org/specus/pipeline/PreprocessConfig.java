package org.specus.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.specus.io.sink.OutputFormat;
import org.specus.io.sink.SampleEncoding;

/**
 * Everything that determines a preprocessing result, with the defaults in one place. The map form
 * is stored in the output's provenance and hashed to tell whether an output is current.
 *
 * @param bandpassLowHz low cutoff, or {@code null} for no bandpass
 * @param bandpassHighHz high cutoff
 * @param bandpassOrder Butterworth order
 * @param reference {@code median}, {@code average} or {@code none}
 * @param whiten {@code global} or {@code none}
 * @param whitenChunks statistics chunks for the whitening covariance
 * @param whitenChunkSeconds length of each statistics chunk
 * @param seed seed of the statistics sample
 * @param tileSeconds tile (and shard) length
 * @param innerChunkSamples samples per inner chunk of a shard
 * @param zstdLevel zstd level inside shards
 * @param dtype output sample type: {@code float32}, or {@code int16} with {@code intScale}
 * @param format output format: {@code zarr} (v3), {@code zarr-v2} or {@code binary}
 * @param intScale factor applied before rounding to int16 (0 when the output is float32)
 */
public record PreprocessConfig(
    Double bandpassLowHz,
    Double bandpassHighHz,
    int bandpassOrder,
    String reference,
    String whiten,
    int whitenChunks,
    double whitenChunkSeconds,
    long seed,
    double tileSeconds,
    int innerChunkSamples,
    int zstdLevel,
    String dtype,
    String format,
    double intScale) {

  public static PreprocessConfig defaults() {
    return new PreprocessConfig(300.0, 6000.0, 5, "median", "global", 20, 0.5, 0, 1.0, 3000, 1, "float32", "zarr", 0);
  }

  public PreprocessConfig {
    if (!reference.equals("median") && !reference.equals("average") && !reference.equals("none")) {
      throw new IllegalArgumentException("--cmr must be median, average or none, got '" + reference + "'");
    }
    if (!whiten.equals("global") && !whiten.equals("none")) {
      throw new IllegalArgumentException("--whiten must be global or none, got '" + whiten + "'");
    }
    OutputFormat.parse(format).check(encoding(dtype, intScale));
    if ((bandpassLowHz == null) != (bandpassHighHz == null)) {
      throw new IllegalArgumentException("--bandpass needs both cutoffs, e.g. 300,6000");
    }
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes a few settings of a configuration and validates the result. */
  public static final class Builder {
    private Double low;
    private Double high;
    private int order;
    private String reference;
    private String whiten;
    private int whitenChunks;
    private double whitenChunkSeconds;
    private long seed;
    private double tileSeconds;
    private int innerChunkSamples;
    private int zstdLevel;
    private String dtype;
    private String format;
    private double intScale;

    private Builder(PreprocessConfig c) {
      low = c.bandpassLowHz;
      high = c.bandpassHighHz;
      order = c.bandpassOrder;
      reference = c.reference;
      whiten = c.whiten;
      whitenChunks = c.whitenChunks;
      whitenChunkSeconds = c.whitenChunkSeconds;
      seed = c.seed;
      tileSeconds = c.tileSeconds;
      innerChunkSamples = c.innerChunkSamples;
      zstdLevel = c.zstdLevel;
      dtype = c.dtype;
      format = c.format;
      intScale = c.intScale;
    }

    /** Cutoffs in Hz, or {@code null, null} for no bandpass. */
    public Builder bandpass(Double lowHz, Double highHz) {
      low = lowHz;
      high = highHz;
      return this;
    }

    public Builder reference(String r) {
      reference = r;
      return this;
    }

    public Builder whiten(String w) {
      whiten = w;
      return this;
    }

    public Builder tileSeconds(double s) {
      tileSeconds = s;
      return this;
    }

    public Builder innerChunkSamples(int n) {
      innerChunkSamples = n;
      return this;
    }

    public Builder dtype(String d) {
      dtype = d;
      return this;
    }

    /** Output format: {@code zarr}, {@code zarr-v2} or {@code binary}. */
    public Builder format(String f) {
      format = f;
      return this;
    }

    /** int16 output: stored value = round(sample x scale). */
    public Builder intScale(double scale) {
      intScale = scale;
      return this;
    }

    public PreprocessConfig build() {
      return new PreprocessConfig(low, high, order, reference, whiten, whitenChunks, whitenChunkSeconds, seed,
          tileSeconds, innerChunkSamples, zstdLevel, dtype, format, intScale);
    }
  }

  /** The configuration as stored in provenance (and hashed): stable key order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (bandpassLowHz != null) {
      m.put("bandpass", Map.of("low_hz", bandpassLowHz, "high_hz", bandpassHighHz, "order", bandpassOrder));
    } else {
      m.put("bandpass", "none");
    }
    m.put("common_reference", reference);
    m.put("whiten", whiten.equals("none") ? "none"
        : Map.of("mode", whiten, "chunks", whitenChunks, "chunk_seconds", whitenChunkSeconds, "seed", seed));
    m.put("tile_seconds", tileSeconds);
    m.put("inner_chunk_samples", innerChunkSamples);
    m.put("zstd_level", zstdLevel);
    m.put("dtype", dtype);
    // Only when not the defaults, so that the hash of an existing Zarr v3 float32 output stays the same.
    if (!format.equals("zarr")) {
      m.put("format", format);
    }
    if (dtype.equals("int16")) {
      m.put("int_scale", intScale);
    }
    return m;
  }

  /** How samples are stored. */
  public SampleEncoding sampleEncoding() {
    return encoding(dtype, intScale);
  }

  public OutputFormat outputFormat() {
    return OutputFormat.parse(format);
  }

  private static SampleEncoding encoding(String dtype, double intScale) {
    return dtype.equals("int16") ? new SampleEncoding(dtype, intScale) : new SampleEncoding(dtype, 1.0);
  }

  /** One line a person reads: {@code bandpass 300-6000 Hz > median reference > global whitening}. */
  public String chainSummary() {
    StringBuilder s = new StringBuilder();
    if (bandpassLowHz != null) {
      s.append(String.format("bandpass %s-%s Hz (order %d)", trim(bandpassLowHz), trim(bandpassHighHz), bandpassOrder));
    }
    if (!reference.equals("none")) {
      s.append(s.length() > 0 ? " > " : "").append(reference).append(" reference");
    }
    if (!whiten.equals("none")) {
      s.append(s.length() > 0 ? " > " : "").append(whiten).append(" whitening");
    }
    return s.length() == 0 ? "none (copy to float32)" : s.toString();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
