package org.specus.io.spikeglx;

import java.util.List;
import java.util.Map;

/**
 * What Specus knows about a Neuropixels probe type: its name, where its gains are written, and the
 * contact layout that turns SpikeGLX's older {@code ~snsShankMap} (column/row indices) into µm.
 *
 * <p>Only facts that can be checked against SpikeGLX's own {@code ~snsGeomMap} are encoded as
 * layouts; a type without one gets no positions rather than guessed ones.
 *
 * @param code {@code imDatPrb_type} as written ({@code "0"}, {@code "24"}, ...), or {@code "3A"}
 * @param name human-readable name
 * @param partNumber {@code imDatPrb_pn}, or {@code null} when absent
 * @param layout contact layout for shank maps, or {@code null} when not known
 * @param fixedApGain AP gain fixed by the hardware (NP2.0), or {@code NaN} when the gain is in the
 *     imro table
 * @param imroHasGains whether {@code ~imroTbl} entries are {@code (chan bank refid apGain lfGain
 *     ...)} (the NP1.0 family)
 * @param defaultMaxInt {@code imMaxInt} to assume when old files omit it, or 0 when it is required
 */
public record ProbeType(
    String code,
    String name,
    String partNumber,
    ContactLayout layout,
    double fixedApGain,
    boolean imroHasGains,
    int defaultMaxInt) {

  /**
   * Contact grid of one shank: {@code x} per column (per row parity for staggered probes), a
   * constant row pitch, and the distance between shanks.
   *
   * <p>The x values are SpikeGLX's (as written in {@code ~snsGeomMap}), so that files from before
   * and after 2023 give the same positions for the same probe.
   */
  public record ContactLayout(int columns, double rowPitchUm, double[][] xByRowParity, double shankPitchUm) {

    public double x(int shank, int column, int row) {
      return shank * shankPitchUm + xByRowParity[row % 2][column];
    }

    public double y(int row) {
      return row * rowPitchUm;
    }
  }

  // NP1.0: staggered, 20 µm rows; even rows at 27/59 µm, odd rows at 11/43 µm (SpikeGLX geomMap).
  static final ContactLayout NP1 =
      new ContactLayout(2, 20, new double[][] {{27, 59}, {11, 43}}, 0);
  // NP2.0 (1 or 4 shanks): two aligned columns 32 µm apart, 15 µm rows, shanks 250 µm apart.
  static final ContactLayout NP2 =
      new ContactLayout(2, 15, new double[][] {{27, 59}, {27, 59}}, 250);
  // NP Ultra (NP1100): 8 x 48 grid at 6 µm in both directions; x measured from the first column.
  static final ContactLayout ULTRA =
      new ContactLayout(8, 6, new double[][] {{0, 6, 12, 18, 24, 30, 36, 42}, {0, 6, 12, 18, 24, 30, 36, 42}}, 0);

  private record Known(String name, ContactLayout layout, double fixedApGain, boolean imroHasGains, int defaultMaxInt) {}

  // NP2.0 gains are fixed by the hardware: 80 for the prototypes (21, 24), 100 for the commercial
  // probes, which always write imChan0apGain anyway.
  private static final Map<String, Known> KNOWN = Map.ofEntries(
      Map.entry("3A", new Known("NP1.0 phase 3A", NP1, Double.NaN, true, 512)),
      Map.entry("0", new Known("NP1.0", NP1, Double.NaN, true, 512)),
      Map.entry("1030", new Known("NP1.0 NHP long", null, Double.NaN, true, 512)),
      Map.entry("1100", new Known("NP Ultra", ULTRA, Double.NaN, true, 512)),
      Map.entry("21", new Known("NP2.0 single shank (NP2.1)", NP2, 80, false, 0)),
      Map.entry("24", new Known("NP2.0 4 shanks (NP2.4)", NP2, 80, false, 0)),
      Map.entry("2003", new Known("NP2.0 single shank", NP2, 100, false, 0)),
      Map.entry("2004", new Known("NP2.0 single shank", NP2, 100, false, 0)),
      Map.entry("2013", new Known("NP2.0 4 shanks", NP2, 100, false, 0)),
      Map.entry("2014", new Known("NP2.0 4 shanks", NP2, 100, false, 0)),
      Map.entry("2020", new Known("NP2.0 quad-base", NP2, 100, false, 0)),
      Map.entry("2021", new Known("NP2.0 quad-base", NP2, 100, false, 0)));

  /** Part numbers that SpikeGLX before 2020 wrote with {@code imDatPrb_type=0}. */
  private static final Map<String, String> TYPE_BY_PART_NUMBER = Map.of("NP1100", "1100");

  /** The probe type of an imec stream; adds to {@code warnings} what it had to interpret. */
  static ProbeType of(SpikeGlxMeta meta, List<String> warnings) {
    String pn = meta.optString("imDatPrb_pn").orElse(null);
    String code;
    if (meta.has("imDatPrb_type")) {
      code = String.valueOf(meta.integer("imDatPrb_type"));
    } else if (meta.has("imProbeOpt") || meta.has("typeEnabled")) {
      // Phase 3A files predate imDatPrb_type; they say imProbeOpt and typeEnabled instead.
      code = "3A";
    } else {
      throw meta.missing("imDatPrb_type");
    }
    if (pn != null && pn.chars().anyMatch(c -> c == '?' || c < 32)) {
      warnings.add(meta.fileName() + ": part number imDatPrb_pn='" + SpikeGlxMeta.abbreviate(pn)
          + "' is unreadable (probe EEPROM not read?); going by imDatPrb_type=" + code);
    }
    if (code.equals("0") && pn != null && TYPE_BY_PART_NUMBER.containsKey(pn)) {
      String actual = TYPE_BY_PART_NUMBER.get(pn);
      warnings.add(meta.fileName() + ": imDatPrb_type=0 but imDatPrb_pn=" + pn
          + "; treating it as type " + actual + " (" + KNOWN.get(actual).name()
          + "), which SpikeGLX before 2020 recorded as type 0");
      code = actual;
    }
    Known k = KNOWN.get(code);
    if (k == null) {
      return new ProbeType(code, "unknown type", pn, null, Double.NaN, false, 0);
    }
    return new ProbeType(code, k.name(), pn, k.layout(), k.fixedApGain(), k.imroHasGains(), k.defaultMaxInt());
  }

  /** {@code "0 (NP1.0)"}. */
  public String label() {
    return code + " (" + name + ")";
  }
}
