package org.specus.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.specus.pipeline.Durations;
import org.specus.pipeline.OpSpec;
import org.specus.pipeline.PipelineFile;
import org.specus.pipeline.PreprocessConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options that decide what a run computes and how it is stored, shared by {@code preprocess}
 * and {@code batch}: the operations (from flags or a pipeline file), the tiling and the output's
 * sample type and format.
 */
final class ChainOptions {

  /** Flags that choose operations; they cannot be combined with --config. */
  static final List<String> OP_FLAGS = List.of("--phase-shift", "--bad-channels", "--bandpass", "--highpass", "--filter-order", "--filter-direction",
      "--cmr", "--cmr-mode", "--cmr-radius", "--cmr-min-neighbours", "--cmr-channels", "--whiten", "--whiten-radius",
      "--whiten-nearest", "--whiten-mean", "--whiten-eps", "--int-scale");

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--format", paramLabel = "zarr|zarr-v2|binary",
      description = "Output format: Zarr v3 shards, the Zarr v2 layout SpikeInterface opens, or a flat binary for"
          + " Kilosort in a SpikeInterface binary folder (default: zarr).")
  String format;

  @Option(names = "--config", paramLabel = "FILE|OUT.zarr",
      description = "Pipeline file (YAML: a 'pipeline' list of operations), or an output whose provenance to re-run.")
  Path config;

  @Option(names = "--phase-shift",
      description = "Correct each channel's ADC sampling delay first (Neuropixels; delays from the probe type).")
  boolean phaseShift;

  @Option(names = "--bandpass", paramLabel = "LOW,HIGH",
      description = "Bandpass cutoffs in Hz, or 'none' (default: 300,6000).")
  String bandpass;

  @Option(names = "--highpass", paramLabel = "HZ", description = "Highpass instead of the bandpass, cutoff in Hz.")
  Double highpass;

  @Option(names = "--filter-order", paramLabel = "N", description = "Butterworth order of the filter (default: 5).")
  Integer filterOrder;

  @Option(names = "--filter-direction", paramLabel = "forward|backward|forward-backward",
      description = "Filter direction (default: forward-backward, zero phase).")
  String filterDirection;

  @Option(names = "--bad-channels", paramLabel = "interpolate|exclude|detect|none",
      description = "Detect bad channels (IBL's coherence + PSD method) after the filter and interpolate them,"
          + " exclude them (zero, left out of the reference), or only record them (default: none).")
  String badChannels;

  @Option(names = "--cmr", paramLabel = "median|average|none", description = "Common reference (default: median).")
  String cmr;

  @Option(names = "--cmr-mode", paramLabel = "global|group|local",
      description = "Reference over all channels, per shank, or a local annulus (default: global).")
  String cmrMode;

  @Option(names = "--cmr-radius", paramLabel = "INNER,OUTER", description = "Local annulus in µm (default: 30,55).")
  String cmrRadius;

  @Option(names = "--cmr-min-neighbours", paramLabel = "N", description = "Local reference: minimum neighbours (default: 5).")
  Integer cmrMinNeighbours;

  @Option(names = "--cmr-channels", paramLabel = "ID,ID,...", description = "Global reference from these channels only.")
  String cmrChannels;

  @Option(names = "--whiten", paramLabel = "global|local|none", description = "Whitening (default: global).")
  String whiten;

  @Option(names = "--whiten-radius", paramLabel = "UM", description = "Local whitening: channels within UM µm (default: 100).")
  Double whitenRadius;

  @Option(names = "--whiten-nearest", paramLabel = "K", description = "Local whitening: the K nearest channels (Kilosort: 32).")
  Integer whitenNearest;

  @Option(names = "--whiten-mean", description = "Subtract the channel means before whitening.")
  Boolean whitenMean;

  @Option(names = "--whiten-eps", paramLabel = "EPS", description = "Whitening regularisation (default: SpikeInterface's rule).")
  Double whitenEps;

  @Option(names = "--int-scale", paramLabel = "SCALE", description = "Multiply the whitened output by SCALE.")
  Double intScale;

  @Option(names = "--tile", paramLabel = "DURATION",
      description = "Tile length; one tile is one shard of the output (default: 1s). Each worker holds two"
          + " tiles: longer tiles need fewer workers (--parallelism) or a larger heap.")
  String tile;

  @Option(names = "--inner-chunk", paramLabel = "SAMPLES",
      description = "Samples per inner chunk inside a shard, at most; lowered to divide the tile (default: 3000).")
  Integer innerChunk;

  @Option(names = "--dtype", paramLabel = "float32|int16",
      description = "Output sample type (default: float32); int16 is rounded and saturated, and whitened data need --int-scale.")
  String dtype;

  @Option(names = "--compression", paramLabel = "auto|zstd|none",
      description = "Zarr chunks compressed with zstd or stored raw (default: auto, which is none for float32 and zstd"
          + " for int16: whitened float32 gains ~1.08x for much CPU time, int16 ~1.4-1.6x).")
  String compression;

  /** The configuration these options describe, validated. */
  PreprocessConfig toConfig() {
    PreprocessConfig base;
    if (config != null) {
      for (String flag : OP_FLAGS) {
        if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
          throw new IllegalArgumentException(flag + " cannot be combined with --config: the pipeline comes from "
              + config.getFileName() + "; edit it there");
        }
      }
      base = PipelineFile.read(config);
    } else {
      base = PreprocessConfig.defaults().toBuilder().pipeline(operationsFromFlags()).build();
    }
    PreprocessConfig.Builder b = base.toBuilder();
    if (tile != null) {
      b.tileSeconds(Durations.seconds(tile, "--tile"));
    }
    if (innerChunk != null) {
      b.innerChunkSamples(innerChunk);
    }
    if (dtype != null) {
      b.dtype(dtype);
    }
    if (format != null) {
      b.format(format);
    }
    if (compression != null) {
      b.compression(compression);
    }
    return b.build();
  }

  /** The operations the flags ask for, in the order labs use: phase shift > filter > reference > whitening. */
  List<OpSpec> operationsFromFlags() {
    List<OpSpec> ops = new ArrayList<>();
    if (phaseShift) {
      ops.add(OpSpec.of("phase_shift", Map.of(), "--phase-shift"));
    }
    Map<String, Object> filter = new LinkedHashMap<>();
    String filterOp;
    String filterFlag;
    if (highpass != null) {
      if (bandpass != null && !bandpass.equalsIgnoreCase("none")) {
        throw new IllegalArgumentException("--highpass and --bandpass both choose the filter; give one of them");
      }
      filterOp = "highpass";
      filterFlag = "--highpass";
      filter.put("cutoff_hz", highpass);
    } else {
      filterOp = "bandpass";
      filterFlag = "--bandpass";
      String text = bandpass == null ? "300,6000" : bandpass;
      if (text.equalsIgnoreCase("none")) {
        filterOp = null;
      } else {
        double[] cut = pair(text, "--bandpass", "LOW,HIGH in Hz (e.g. 300,6000) or none");
        filter.put("low_hz", cut[0]);
        filter.put("high_hz", cut[1]);
      }
    }
    if (filterOp == null && (filterOrder != null || filterDirection != null)) {
      throw new IllegalArgumentException("--filter-order and --filter-direction need a filter (--bandpass or --highpass)");
    }
    if (filterOp != null) {
      if (filterOrder != null) {
        filter.put("order", filterOrder);
      }
      if (filterDirection != null) {
        filter.put("direction", filterDirection);
      }
      ops.add(OpSpec.of(filterOp, filter, filterFlag));
    }
    if (badChannels != null && !badChannels.equals("none")) {
      ops.add(OpSpec.of("bad_channels", Map.of("action", badChannels), "--bad-channels"));
    }
    String reference = cmr == null ? "median" : cmr;
    if (!List.of("median", "average", "none").contains(reference)) {
      throw new IllegalArgumentException("--cmr must be median, average or none, got '" + reference + "'");
    }
    if (reference.equals("none")) {
      if (cmrMode != null || cmrRadius != null || cmrMinNeighbours != null || cmrChannels != null) {
        throw new IllegalArgumentException("--cmr-mode, --cmr-radius, --cmr-min-neighbours and --cmr-channels need"
            + " a common reference (--cmr median or average)");
      }
    } else {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("operator", reference);
      String mode = cmrMode == null ? "global" : cmrMode;
      r.put("reference", mode);
      if (cmrRadius != null) {
        requireMode(mode, "local", "--cmr-radius", "--cmr-mode local");
        double[] radius = pair(cmrRadius, "--cmr-radius", "INNER,OUTER in µm (e.g. 30,55)");
        r.put("inner_um", radius[0]);
        r.put("outer_um", radius[1]);
      }
      if (cmrMinNeighbours != null) {
        requireMode(mode, "local", "--cmr-min-neighbours", "--cmr-mode local");
        r.put("min_neighbours", cmrMinNeighbours);
      }
      if (cmrChannels != null) {
        requireMode(mode, "global", "--cmr-channels", "--cmr-mode global");
        r.put("channels", cmrChannels);
      }
      ops.add(OpSpec.of("common_reference", r, "--cmr"));
    }
    String w = whiten == null ? "global" : whiten;
    if (!List.of("global", "local", "none").contains(w)) {
      throw new IllegalArgumentException("--whiten must be global, local or none, got '" + w + "'");
    }
    if (w.equals("none")) {
      if (whitenRadius != null || whitenNearest != null || whitenMean != null || whitenEps != null || intScale != null) {
        throw new IllegalArgumentException("--whiten-radius, --whiten-nearest, --whiten-mean, --whiten-eps and"
            + " --int-scale need whitening (--whiten global or local)");
      }
    } else {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("mode", w);
      if (whitenRadius != null) {
        requireMode(w, "local", "--whiten-radius", "--whiten local");
        p.put("radius_um", whitenRadius);
      }
      if (whitenNearest != null) {
        requireMode(w, "local", "--whiten-nearest", "--whiten local");
        p.put("nearest", whitenNearest);
      }
      if (whitenMean != null) {
        p.put("apply_mean", whitenMean);
      }
      if (whitenEps != null) {
        p.put("eps", whitenEps);
      }
      if (intScale != null) {
        p.put("int_scale", intScale);
      }
      ops.add(OpSpec.of("whiten", p, "--whiten"));
    }
    return ops;
  }

  private static void requireMode(String mode, String wanted, String flag, String needs) {
    if (!mode.equals(wanted)) {
      throw new IllegalArgumentException(flag + " needs " + needs + " (the mode is " + mode + ")");
    }
  }

  private static double[] pair(String text, String flag, String expected) {
    String[] parts = text.split(",");
    if (parts.length != 2) {
      throw new IllegalArgumentException(flag + " expects " + expected + ", got '" + text + "'");
    }
    try {
      return new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " expects " + expected + ", got '" + text + "'");
    }
  }
}
