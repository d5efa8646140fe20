package org.specus.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.specus.io.sink.OutputFormat;
import org.specus.io.sink.SampleEncoding;
import org.specus.io.zarr.Compression;

/**
 * Everything that determines a preprocessing result, with the defaults in one place: the ordered
 * operations ({@link PipelineSpec}) and how the output is cut and stored. The map form is stored
 * in the output's provenance, hashed to tell whether an output is current, and read back by
 * {@code specus preprocess --config OUT.zarr}.
 *
 * @param pipeline the operations, in order
 * @param tileSeconds tile (and shard) length
 * @param innerChunkSamples samples per inner chunk of a shard
 * @param zstdLevel zstd level of compressed chunks
 * @param compression how Zarr chunks are stored: {@code auto} (none for float32, zstd for int16),
 *     {@code zstd} or {@code none}; see {@link #storedCompression}
 * @param dtype output sample type: float32, or int16 rounded and saturated (whitened data need
 *     {@code whiten.int_scale})
 * @param format output format: {@code zarr} (v3), {@code zarr-v2} or {@code binary}
 */
public record PreprocessConfig(
    PipelineSpec pipeline,
    double tileSeconds,
    int innerChunkSamples,
    int zstdLevel,
    String compression,
    String dtype,
    String format) {

  /** SpikeInterface's defaults: bandpass 300-6000 Hz (order 5) > global median reference > global whitening. */
  public static PreprocessConfig defaults() {
    return new PreprocessConfig(PipelineSpec.of(defaultOps()), 1.0, 3000, 1, "auto", "float32", "zarr");
  }

  static List<OpSpec> defaultOps() {
    return List.of(
        OpSpec.of("bandpass", Map.of(), "default"),
        OpSpec.of("common_reference", Map.of(), "default"),
        OpSpec.of("whiten", Map.of(), "default"));
  }

  public PreprocessConfig {
    if (pipeline == null) {
      throw new IllegalArgumentException("the pipeline is missing");
    }
    if (!dtype.equals("float32") && !dtype.equals("int16")) {
      throw new IllegalArgumentException("dtype must be float32 or int16, got '" + dtype + "'");
    }
    if (dtype.equals("int16")) {
      for (OpSpec op : pipeline.ops()) {
        if (op.op().equals("whiten") && !op.params().containsKey("int_scale")) {
          throw new IllegalArgumentException(op.source() + ": int16 output of whitened data needs an explicit"
              + " whiten.int_scale (whitened samples have unit variance; e.g. 200 keeps them well inside int16)");
        }
      }
    }
    OutputFormat.parse(format);
    compression = Compression.parse(compression).label();
    if (compression.equals("zstd") && OutputFormat.parse(format) == OutputFormat.BINARY) {
      throw new IllegalArgumentException("compression zstd applies to zarr and zarr-v2; the binary format is never"
          + " compressed");
    }
    if (!(tileSeconds > 0) || !Double.isFinite(tileSeconds)) {
      throw new IllegalArgumentException("tile_seconds must be a positive number of seconds, got " + tileSeconds);
    }
    if (innerChunkSamples < 1) {
      throw new IllegalArgumentException("inner_chunk_samples must be at least 1, got " + innerChunkSamples);
    }
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes a few settings of a configuration and validates the result. */
  public static final class Builder {
    private List<OpSpec> ops;
    private double tileSeconds;
    private int innerChunkSamples;
    private int zstdLevel;
    private String compression;
    private String dtype;
    private String format;

    private Builder(PreprocessConfig c) {
      ops = new ArrayList<>(c.pipeline.ops());
      tileSeconds = c.tileSeconds;
      innerChunkSamples = c.innerChunkSamples;
      zstdLevel = c.zstdLevel;
      compression = c.compression;
      dtype = c.dtype;
      format = c.format;
    }

    /** Replaces the operations. */
    public Builder pipeline(List<OpSpec> operations) {
      ops = new ArrayList<>(operations);
      return this;
    }

    /** Cutoffs in Hz of the bandpass (replacing any filter), or {@code null, null} for no bandpass. */
    public Builder bandpass(Double lowHz, Double highHz) {
      if ((lowHz == null) != (highHz == null)) {
        throw new IllegalArgumentException("--bandpass needs both cutoffs, e.g. 300,6000");
      }
      int at = indexOf("bandpass");
      ops.removeIf(o -> o.op().equals("bandpass"));
      if (lowHz != null) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("low_hz", lowHz);
        p.put("high_hz", highHz);
        ops.add(Math.max(0, at), OpSpec.of("bandpass", p, "--bandpass"));
      }
      return this;
    }

    /** {@code median}, {@code average} (global) or {@code none}. */
    public Builder reference(String r) {
      if (!r.equals("median") && !r.equals("average") && !r.equals("none")) {
        throw new IllegalArgumentException("--cmr must be median, average or none, got '" + r + "'");
      }
      int at = indexOf("common_reference");
      ops.removeIf(o -> o.op().equals("common_reference"));
      if (!r.equals("none")) {
        int w = indexOf("whiten");
        ops.add(at >= 0 ? at : w >= 0 ? w : ops.size(), OpSpec.of("common_reference", Map.of("operator", r), "--cmr"));
      }
      return this;
    }

    /** {@code global} or {@code none}. */
    public Builder whiten(String w) {
      if (!w.equals("global") && !w.equals("none")) {
        throw new IllegalArgumentException("--whiten must be global or none, got '" + w + "'");
      }
      ops.removeIf(o -> o.op().equals("whiten"));
      if (w.equals("global")) {
        ops.add(OpSpec.of("whiten", Map.of(), "--whiten"));
      }
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

    public Builder zstdLevel(int level) {
      zstdLevel = level;
      return this;
    }

    /** {@code auto}, {@code zstd} or {@code none}. */
    public Builder compression(String c) {
      compression = c;
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

    private int indexOf(String op) {
      for (int i = 0; i < ops.size(); i++) {
        if (ops.get(i).op().equals(op)) {
          return i;
        }
      }
      return -1;
    }

    public PreprocessConfig build() {
      return new PreprocessConfig(PipelineSpec.of(ops), tileSeconds, innerChunkSamples, zstdLevel, compression, dtype,
          format);
    }
  }

  /** The configuration as stored in provenance (and hashed): stable key order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pipeline", pipeline.toList());
    m.put("tile_seconds", tileSeconds);
    m.put("inner_chunk_samples", innerChunkSamples);
    Compression stored = storedCompression();
    if (stored == Compression.ZSTD) {
      // only when it shapes the bytes: uncompressed output at any level is the same result
      m.put("zstd_level", zstdLevel);
    }
    // Resolved, so that what is stored decides the hash: auto and the choice it makes are the same result.
    m.put("compression", stored.label());
    m.put("dtype", dtype);
    if (!format.equals("zarr")) {
      m.put("format", format); // only when not the default, so that existing outputs keep their hash
    }
    return m;
  }

  /** How samples are stored. */
  public SampleEncoding sampleEncoding() {
    return new SampleEncoding(dtype);
  }

  /**
   * How the output's chunks are stored: {@code compression} with {@code auto} resolved by the
   * dtype (none for float32, zstd for int16: see {@link Compression} why); always none for the
   * binary format.
   */
  public Compression storedCompression() {
    if (outputFormat() == OutputFormat.BINARY) {
      return Compression.NONE;
    }
    return Compression.parse(compression).resolve(sampleEncoding().zarrDataType());
  }

  public OutputFormat outputFormat() {
    return OutputFormat.parse(format);
  }

  /** One line a person reads: {@code bandpass 300-6000 Hz (order 5) > median reference > global whitening}. */
  public String chainSummary() {
    return pipeline.ops().isEmpty() ? "no operations (copy to " + dtype + ")" : pipeline.summary();
  }
}
