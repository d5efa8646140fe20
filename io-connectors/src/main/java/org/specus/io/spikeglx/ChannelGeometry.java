package org.specus.io.spikeglx;

import java.util.List;
import java.util.Optional;

/**
 * Contact positions {@code [channel][x, y]} in µm of the saved neural channels, from the best
 * source a meta file has:
 *
 * <ol>
 *   <li>{@code ~snsGeomMap} (SpikeGLX ≥ 2023): header {@code (pn,nShanks,shankPitch,shankWidth)},
 *       entries {@code (shank:x:z:used)} with x within the shank, in µm;
 *   <li>{@code ~snsShankMap}: header {@code (nShanks,nCols,nRows)}, entries
 *       {@code (shank:col:row:used)}, converted with the probe type's {@link
 *       ProbeType.ContactLayout};
 *   <li>for NP1.0 files without either map (old LF files): bank and channel from {@code ~imroTbl}.
 * </ol>
 *
 * Otherwise {@code null}, with a warning: a wrong position silently corrupts spatial filters,
 * a missing one is reported.
 */
final class ChannelGeometry {

  private static final int NP1_CHANNELS_PER_BANK = 384;

  private ChannelGeometry() {}

  /**
   * @param neuralIndex within-band index ({@code k} of {@code APk}/{@code LFk}) of each saved
   *     neural channel, in file order
   */
  static double[][] of(SpikeGlxMeta meta, ProbeType probe, Optional<ImroTable> imro, int[] neuralIndex,
      List<String> warnings) {
    int n = neuralIndex.length;
    Optional<List<String>> geom = meta.table("snsGeomMap");
    if (geom.isPresent()) {
      return fromGeomMap(meta, geom.get(), n, warnings);
    }
    Optional<List<String>> shank = meta.table("snsShankMap");
    if (shank.isPresent() && shank.get().size() > 1) {
      return fromShankMap(meta, probe, shank.get(), n, warnings);
    }
    if (imro.isPresent() && probe.layout() == ProbeType.NP1 && probe.imroHasGains()) {
      return fromNp1Imro(imro.get(), neuralIndex);
    }
    warnings.add(meta.fileName() + ": no ~snsGeomMap or ~snsShankMap; contact positions unknown");
    return null;
  }

  private static double[][] fromGeomMap(SpikeGlxMeta meta, List<String> table, int n, List<String> warnings) {
    String[] header = table.get(0).split(",");
    if (header.length < 3) {
      throw meta.error("~snsGeomMap header (" + table.get(0) + ") should be (pn,nShanks,shankPitch,shankWidth)");
    }
    double shankPitch = number(meta, "snsGeomMap", header[2], table.get(0));
    if (!checkCount(meta, "~snsGeomMap", table.size() - 1, n, warnings)) {
      return null;
    }
    double[][] xy = new double[n][];
    for (int c = 0; c < n; c++) {
      String[] f = fields(meta, "snsGeomMap", table.get(c + 1), "shank:x:z:used");
      double s = number(meta, "snsGeomMap", f[0], table.get(c + 1));
      double x = number(meta, "snsGeomMap", f[1], table.get(c + 1));
      double z = number(meta, "snsGeomMap", f[2], table.get(c + 1));
      xy[c] = new double[] {s * shankPitch + x, z};
    }
    return xy;
  }

  private static double[][] fromShankMap(SpikeGlxMeta meta, ProbeType probe, List<String> table, int n,
      List<String> warnings) {
    ProbeType.ContactLayout layout = probe.layout();
    if (layout == null) {
      warnings.add(meta.fileName() + ": ~snsShankMap gives column/row indices but the contact spacing of probe type "
          + probe.label() + " is not known to Specus; contact positions unknown");
      return null;
    }
    String[] header = table.get(0).split(",");
    if (header.length >= 2) {
      int cols = (int) number(meta, "snsShankMap", header[1], table.get(0));
      if (cols != layout.columns()) {
        warnings.add(meta.fileName() + ": ~snsShankMap header (" + table.get(0) + ") has " + cols
            + " columns but probe type " + probe.label() + " has " + layout.columns()
            + "; contact positions unknown");
        return null;
      }
    }
    if (!checkCount(meta, "~snsShankMap", table.size() - 1, n, warnings)) {
      return null;
    }
    double[][] xy = new double[n][];
    for (int c = 0; c < n; c++) {
      String[] f = fields(meta, "snsShankMap", table.get(c + 1), "shank:col:row:used");
      int s = integer(meta, "snsShankMap", f[0], table.get(c + 1));
      int col = integer(meta, "snsShankMap", f[1], table.get(c + 1));
      int row = integer(meta, "snsShankMap", f[2], table.get(c + 1));
      if (col < 0 || col >= layout.columns() || row < 0 || s < 0) {
        throw meta.error("~snsShankMap entry (" + table.get(c + 1) + ") is outside the probe's "
            + layout.columns() + " columns");
      }
      xy[c] = new double[] {layout.x(s, col, row), layout.y(row)};
    }
    return xy;
  }

  // NP1.0 electrode = bank * 384 + channel; electrodes fill rows two at a time.
  private static double[][] fromNp1Imro(ImroTable imro, int[] neuralIndex) {
    ProbeType.ContactLayout layout = ProbeType.NP1;
    double[][] xy = new double[neuralIndex.length][];
    for (int c = 0; c < neuralIndex.length; c++) {
      int chan = neuralIndex[c];
      int electrode = imro.bank(chan) * NP1_CHANNELS_PER_BANK + chan;
      int row = electrode / 2;
      xy[c] = new double[] {layout.x(0, electrode % 2, row), layout.y(row)};
    }
    return xy;
  }

  private static boolean checkCount(SpikeGlxMeta meta, String table, int entries, int n, List<String> warnings) {
    if (entries != n) {
      warnings.add(meta.fileName() + ": " + table + " has " + entries + " entries but the file saves " + n
          + " neural channels; contact positions unknown");
      return false;
    }
    return true;
  }

  private static String[] fields(SpikeGlxMeta meta, String table, String entry, String form) {
    String[] f = entry.split(":");
    if (f.length < 3) {
      throw meta.error("~" + table + " entry (" + entry + ") should be (" + form + ")");
    }
    return f;
  }

  private static double number(SpikeGlxMeta meta, String table, String s, String entry) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw meta.error("~" + table + " entry (" + SpikeGlxMeta.abbreviate(entry) + ") has a non-numeric field '"
          + s + "'");
    }
  }

  private static int integer(SpikeGlxMeta meta, String table, String s, String entry) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw meta.error("~" + table + " entry (" + SpikeGlxMeta.abbreviate(entry) + ") has a non-integer field '"
          + s + "'");
    }
  }
}
