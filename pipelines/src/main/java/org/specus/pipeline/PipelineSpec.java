package org.specus.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.specus.io.beam.Tiles;

/**
 * The ordered operations of a preprocessing pipeline, each checked and with its defaults filled in
 * ({@link OpCatalog#effective}). Its {@link #toList()} form is what a configuration file holds,
 * what provenance stores and what {@code specus preprocess --config OUT.zarr} reads back.
 */
public final class PipelineSpec {
  private final List<OpSpec> ops;

  private PipelineSpec(List<OpSpec> ops) {
    this.ops = List.copyOf(ops);
  }

  /** Checks every operation and the chain as a whole; the first problem is an error naming where it was written. */
  public static PipelineSpec of(List<OpSpec> configured) {
    List<OpSpec> checked = new ArrayList<>();
    OpSpec whiten = null;
    for (OpSpec spec : configured) {
      if (whiten != null) {
        throw new IllegalArgumentException(spec.source() + ": " + spec.op() + " comes after whiten ("
            + whiten.source() + "); whitening must be the last operation");
      }
      OpSpec effective = new OpSpec(spec.op(), OpCatalog.effective(spec), spec.source(), spec.lines());
      if (spec.op().equals("whiten")) {
        whiten = spec;
      }
      checked.add(effective);
    }
    return new PipelineSpec(checked);
  }

  public List<OpSpec> ops() {
    return ops;
  }

  public boolean contains(String op) {
    return ops.stream().anyMatch(o -> o.op().equals(op));
  }

  /** The effective operations as plain maps ({@code op} first), for provenance and files. */
  public List<Map<String, Object>> toList() {
    return ops.stream().map(OpSpec::params).toList();
  }

  /** Appends every operation's transform to {@code tiles}, in order. */
  public Tiles apply(Tiles tiles) {
    Tiles t = tiles;
    int step = 1;
    for (OpSpec op : ops) {
      t = t.apply(step++ + " " + op.op(), OpCatalog.build(op));
    }
    return t;
  }

  /** One line a person reads: {@code bandpass 300-6000 Hz (order 5) > median reference > global whitening}. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    for (OpSpec o : ops) {
      Map<String, Object> p = o.params();
      String direction = "forward-backward".equals(p.get("direction")) ? "" : ", " + p.get("direction");
      parts.add(switch (o.op()) {
        case "bandpass" -> String.format("bandpass %s-%s Hz (order %s%s)", trim(p.get("low_hz")), trim(p.get("high_hz")),
            p.get("order"), direction);
        case "highpass" -> String.format("highpass %s Hz (order %s%s)", trim(p.get("cutoff_hz")), p.get("order"), direction);
        case "phase_shift" -> "phase shift";
        case "bad_channels" -> "bad channels (" + p.get("action") + ")";
        case "common_reference" -> p.get("operator") + " reference"
            + (p.get("reference").equals("global") ? "" : " (" + p.get("reference") + ")");
        case "whiten" -> p.get("mode") + " whitening" + (Boolean.TRUE.equals(p.get("apply_mean")) ? " (mean removed)" : "");
        default -> o.op().replace('_', ' ');
      });
    }
    return parts.isEmpty() ? "no operations" : String.join(" > ", parts);
  }

  private static String trim(Object v) {
    double d = ((Number) v).doubleValue();
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
