package org.specus.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.PTransform;
import org.specus.io.beam.Tiles;
import org.specus.dsp.BadChannels;
import org.specus.transforms.Bandpass;
import org.specus.transforms.CommonReference;
import org.specus.transforms.DetectBadChannels;
import org.specus.transforms.Direction;
import org.specus.transforms.Highpass;
import org.specus.transforms.PhaseShift;
import org.specus.transforms.Whiten;

/**
 * The operations a pipeline can hold, their parameters with defaults (one place, as Kilosort's
 * parameter file), and how each becomes a transform. {@link #effective} checks a configured
 * operation (unknown names, unknown or misplaced parameters, types, values) and returns its full
 * parameter map with the defaults filled in, which is what provenance stores and what a re-run
 * reads back.
 *
 * <table>
 *   <caption>operations and parameters</caption>
 *   <tr><td>bandpass</td><td>low_hz 300, high_hz 6000, order 5, direction forward-backward</td></tr>
 *   <tr><td>highpass</td><td>cutoff_hz 300, order 5, direction forward-backward</td></tr>
 *   <tr><td>phase_shift</td><td>margin_ms 40 (delays from the probe's ADC wiring)</td></tr>
 *   <tr><td>bad_channels</td><td>action interpolate|exclude|detect, chunks 100, chunk_seconds 0.3,
 *       seed 0, psd_hf_threshold 0.02, dead_threshold -0.5, noisy_threshold 1, outside_threshold -0.75,
 *       neighbours 11, nyquist_fraction 0.8, welch_ms 10 (IBL's coherence + PSD method)</td></tr>
 *   <tr><td>common_reference</td><td>operator median|average, reference global|group|local,
 *       channels [] (global), inner_um 30, outer_um 55, min_neighbours 5 (local)</td></tr>
 *   <tr><td>whiten</td><td>mode global|local, radius_um 100 or nearest k (local), chunks 20,
 *       chunk_seconds 0.5, seed 0, eps spikeinterface|number, apply_mean false, int_scale</td></tr>
 * </table>
 */
public final class OpCatalog {
  private OpCatalog() {}

  public static final List<String> OPS =
      List.of("bandpass", "highpass", "phase_shift", "bad_channels", "common_reference", "whiten");

  /** The full, checked parameters of {@code spec} ({@code op} first), defaults filled in. */
  public static Map<String, Object> effective(OpSpec spec) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("op", spec.op());
    switch (spec.op()) {
      case "bandpass" -> {
        allow(spec, "low_hz", "high_hz", "order", "direction");
        p.put("low_hz", spec.number("low_hz", 300));
        p.put("high_hz", spec.number("high_hz", 6000));
        p.put("order", spec.integer("order", Bandpass.DEFAULT_ORDER));
        p.put("direction", direction(spec));
      }
      case "highpass" -> {
        allow(spec, "cutoff_hz", "order", "direction");
        p.put("cutoff_hz", spec.number("cutoff_hz", 300));
        p.put("order", spec.integer("order", Highpass.DEFAULT_ORDER));
        p.put("direction", direction(spec));
      }
      case "phase_shift" -> {
        allow(spec, "margin_ms");
        p.put("margin_ms", spec.number("margin_ms", PhaseShift.DEFAULT_MARGIN_MS));
      }
      case "bad_channels" -> {
        allow(spec, "action", "chunks", "chunk_seconds", "seed", "psd_hf_threshold", "dead_threshold",
            "noisy_threshold", "outside_threshold", "neighbours", "nyquist_fraction", "welch_ms");
        BadChannels.Params d = BadChannels.Params.spikeInterface();
        p.put("action", spec.choice("action", "interpolate", "interpolate", "exclude", "detect"));
        p.put("chunks", spec.integer("chunks", DetectBadChannels.DEFAULT_CHUNKS));
        p.put("chunk_seconds", spec.number("chunk_seconds", DetectBadChannels.DEFAULT_CHUNK_SECONDS));
        p.put("seed", spec.longInteger("seed", 0));
        p.put("psd_hf_threshold", spec.number("psd_hf_threshold", d.psdHfThreshold()));
        p.put("dead_threshold", spec.number("dead_threshold", d.deadThreshold()));
        p.put("noisy_threshold", spec.number("noisy_threshold", d.noisyThreshold()));
        p.put("outside_threshold", spec.number("outside_threshold", d.outsideThreshold()));
        p.put("neighbours", spec.integer("neighbours", d.neighbours()));
        p.put("nyquist_fraction", spec.number("nyquist_fraction", d.nyquistFraction()));
        p.put("welch_ms", spec.number("welch_ms", d.welchMs()));
      }
      case "common_reference" -> {
        String reference = spec.choice("reference", "global", "global", "group", "local");
        p.put("operator", spec.choice("operator", "median", "median", "average"));
        p.put("reference", reference);
        switch (reference) {
          case "global" -> {
            allow(spec, "operator", "reference", "channels");
            List<String> channels = spec.strings("channels");
            if (!channels.isEmpty()) {
              p.put("channels", channels);
            }
          }
          case "group" -> allow(spec, "operator", "reference");
          default -> {
            allow(spec, "operator", "reference", "inner_um", "outer_um", "min_neighbours");
            p.put("inner_um", spec.number("inner_um", CommonReference.DEFAULT_INNER_UM));
            p.put("outer_um", spec.number("outer_um", CommonReference.DEFAULT_OUTER_UM));
            p.put("min_neighbours", spec.integer("min_neighbours", CommonReference.DEFAULT_MIN_NEIGHBOURS));
          }
        }
      }
      case "whiten" -> {
        String mode = spec.choice("mode", "global", "global", "local");
        List<String> keys = new ArrayList<>(List.of("mode", "chunks", "chunk_seconds", "seed", "eps", "apply_mean",
            "int_scale"));
        p.put("mode", mode);
        if (mode.equals("local")) {
          keys.addAll(List.of("radius_um", "nearest"));
          if (spec.has("radius_um") && spec.has("nearest")) {
            throw spec.error("nearest", "give radius_um or nearest, not both");
          }
          if (spec.has("nearest")) {
            p.put("nearest", spec.integer("nearest", Whiten.KILOSORT_NEAREST));
          } else {
            p.put("radius_um", spec.number("radius_um", Whiten.DEFAULT_RADIUS_UM));
          }
        }
        allow(spec, keys.toArray(String[]::new));
        p.put("chunks", spec.integer("chunks", Whiten.DEFAULT_CHUNKS));
        p.put("chunk_seconds", spec.number("chunk_seconds", Whiten.DEFAULT_CHUNK_SECONDS));
        p.put("seed", spec.longInteger("seed", 0));
        String eps = spec.text("eps", "spikeinterface");
        p.put("eps", eps.equals("spikeinterface") ? eps : spec.number("eps", 0));
        p.put("apply_mean", spec.flag("apply_mean", false));
        if (spec.has("int_scale")) {
          p.put("int_scale", spec.number("int_scale", 1));
        }
      }
      default -> throw new IllegalArgumentException(spec.source() + ": unknown operation '" + spec.op()
          + "' (known: " + String.join(", ", OPS) + ")");
    }
    // Build once now: the transforms check their values at construction, so a bad value is
    // reported here, with where it was written, before anything runs.
    build(new OpSpec(spec.op(), p, spec.source(), spec.lines()));
    return p;
  }

  /** The transform for an operation's effective parameters. */
  public static PTransform<Tiles, Tiles> build(OpSpec spec) {
    try {
      return switch (spec.op()) {
        case "bandpass" -> Bandpass.of(spec.number("low_hz", 300), spec.number("high_hz", 6000))
            .withOrder(spec.integer("order", Bandpass.DEFAULT_ORDER))
            .withDirection(Direction.parse(spec.text("direction", "forward-backward")));
        case "highpass" -> Highpass.of(spec.number("cutoff_hz", 300))
            .withOrder(spec.integer("order", Highpass.DEFAULT_ORDER))
            .withDirection(Direction.parse(spec.text("direction", "forward-backward")));
        case "phase_shift" -> PhaseShift.fromProbe()
            .withMarginMs(spec.number("margin_ms", PhaseShift.DEFAULT_MARGIN_MS));
        case "bad_channels" -> badChannels(spec);
        case "common_reference" -> {
          CommonReference r = spec.text("operator", "median").equals("average")
              ? CommonReference.average() : CommonReference.median();
          yield switch (spec.text("reference", "global")) {
            case "group" -> r.perGroup();
            case "local" -> r.local(spec.number("inner_um", CommonReference.DEFAULT_INNER_UM),
                    spec.number("outer_um", CommonReference.DEFAULT_OUTER_UM))
                .withMinNeighbours(spec.integer("min_neighbours", CommonReference.DEFAULT_MIN_NEIGHBOURS));
            default -> r.withReferenceChannels(spec.strings("channels"));
          };
        }
        case "whiten" -> {
          Whiten w = spec.text("mode", "global").equals("local") ? Whiten.local() : Whiten.global();
          if (spec.has("nearest")) {
            w = w.withNearest(spec.integer("nearest", Whiten.KILOSORT_NEAREST));
          } else if (spec.has("radius_um")) {
            w = w.withRadius(spec.number("radius_um", Whiten.DEFAULT_RADIUS_UM));
          }
          w = w.withSample(spec.integer("chunks", Whiten.DEFAULT_CHUNKS),
                  spec.number("chunk_seconds", Whiten.DEFAULT_CHUNK_SECONDS))
              .withSeed(spec.longInteger("seed", 0))
              .withMeanRemoval(spec.flag("apply_mean", false));
          if (!spec.text("eps", "spikeinterface").equals("spikeinterface")) {
            w = w.withEps(spec.number("eps", 0));
          }
          if (spec.has("int_scale")) {
            w = w.withIntScale(spec.number("int_scale", 1));
          }
          yield w;
        }
        default -> throw new IllegalArgumentException("unknown operation '" + spec.op() + "'");
      };
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(spec.source())) {
        throw e;
      }
      throw new IllegalArgumentException(spec.source() + ", " + spec.op() + ": " + e.getMessage(), e);
    }
  }

  /** The bad-channel transform of an operation's parameters (also what {@code specus info --bad-channels} runs). */
  public static DetectBadChannels badChannels(OpSpec spec) {
    BadChannels.Params d = BadChannels.Params.spikeInterface();
    return DetectBadChannels.ibl()
        .withAction(DetectBadChannels.Action.parse(spec.text("action", "interpolate")))
        .withSample(spec.integer("chunks", DetectBadChannels.DEFAULT_CHUNKS),
            spec.number("chunk_seconds", DetectBadChannels.DEFAULT_CHUNK_SECONDS))
        .withSeed(spec.longInteger("seed", 0))
        .withParams(new BadChannels.Params(spec.number("psd_hf_threshold", d.psdHfThreshold()),
            spec.number("dead_threshold", d.deadThreshold()), spec.number("noisy_threshold", d.noisyThreshold()),
            spec.number("outside_threshold", d.outsideThreshold()), spec.integer("neighbours", d.neighbours()),
            spec.number("nyquist_fraction", d.nyquistFraction()), spec.number("welch_ms", d.welchMs())));
  }

  private static String direction(OpSpec spec) {
    try {
      return Direction.parse(spec.text("direction", "forward-backward")).label();
    } catch (IllegalArgumentException e) {
      throw spec.error("direction", "must be forward, backward or forward-backward, got '"
          + spec.params().get("direction") + "'");
    }
  }

  private static void allow(OpSpec spec, String... keys) {
    Set<String> allowed = new LinkedHashSet<>(List.of(keys));
    for (String k : spec.params().keySet()) {
      if (!k.equals("op") && !allowed.contains(k)) {
        throw spec.error(k, "unknown parameter for " + spec.op() + describeMode(spec) + " (known: "
            + String.join(", ", allowed) + ")");
      }
    }
  }

  private static String describeMode(OpSpec spec) {
    if (spec.op().equals("common_reference")) {
      return " with reference " + spec.text("reference", "global");
    }
    if (spec.op().equals("whiten")) {
      return " in mode " + spec.text("mode", "global");
    }
    return "";
  }
}
