package org.specus.io.spikeglx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SpikeGLX's imec readout table {@code ~imroTbl}: one entry per acquired neural channel, in channel
 * order. The header is {@code (type,n)}, {@code (pn,n)} or, for phase 3A, {@code (serial,option,n)};
 * entry fields depend on the probe type, so this class only exposes the fields the NP1.0 family
 * shares, {@code (chan bank refid apGain lfGain ...)}.
 */
public final class ImroTable {

  private final SpikeGlxMeta meta;
  private final List<int[]> entries;

  private ImroTable(SpikeGlxMeta meta, List<int[]> entries) {
    this.meta = meta;
    this.entries = entries;
  }

  /** The table of {@code meta}, or empty when it has none. */
  public static Optional<ImroTable> of(SpikeGlxMeta meta) {
    Optional<List<String>> groups = meta.table("imroTbl");
    if (groups.isEmpty()) {
      return Optional.empty();
    }
    List<String> g = groups.get();
    String[] header = g.get(0).split(",");
    List<int[]> entries = new ArrayList<>(g.size() - 1);
    for (int i = 1; i < g.size(); i++) {
      String[] fields = g.get(i).split("\\s+");
      int[] e = new int[fields.length];
      for (int f = 0; f < fields.length; f++) {
        try {
          e[f] = Integer.parseInt(fields[f]);
        } catch (NumberFormatException ex) {
          throw meta.error("~imroTbl entry " + (i - 1) + " '(" + SpikeGlxMeta.abbreviate(g.get(i))
              + ")' has a non-integer field");
        }
      }
      entries.add(e);
    }
    // In the (type,n), (pn,n) and 3A (serial,option,n) headers the last field is the entry count;
    // longer headers (e.g. NP1110's) hold settings instead.
    if (header.length == 2 || header.length == 3) {
      String declared = header[header.length - 1].strip();
      if (!declared.equals(String.valueOf(entries.size()))) {
        throw meta.error("~imroTbl header (" + g.get(0) + ") declares " + declared
            + " entries but the table has " + entries.size());
      }
    }
    return Optional.of(new ImroTable(meta, entries));
  }

  public int size() {
    return entries.size();
  }

  /** AP gain of neural channel {@code chan} (NP1.0-family entries). */
  public double apGain(int chan) {
    return gainField(chan, 3, "AP");
  }

  /** LF gain of neural channel {@code chan} (NP1.0-family entries). */
  public double lfGain(int chan) {
    return gainField(chan, 4, "LF");
  }

  /** Bank of neural channel {@code chan} (NP1.0-family entries). */
  public int bank(int chan) {
    return entry(chan, 2)[1];
  }

  private double gainField(int chan, int field, String band) {
    int gain = entry(chan, field + 1)[field];
    if (gain <= 0) {
      throw meta.error("~imroTbl entry for channel " + chan + " has " + band + " gain " + gain);
    }
    return gain;
  }

  private int[] entry(int chan, int minFields) {
    if (chan < 0 || chan >= entries.size()) {
      throw meta.error("~imroTbl has " + entries.size() + " entries but channel " + chan
          + " is saved");
    }
    int[] e = entries.get(chan);
    if (e.length < minFields) {
      throw meta.error("~imroTbl entry for channel " + chan + " has " + e.length
          + " fields, expected at least " + minFields + " (chan bank refid apGain lfGain)");
    }
    // Entries are written in channel order; if not, indexing by position would mix channels.
    if (e[0] != chan) {
      throw meta.error("~imroTbl entry " + chan + " is for channel " + e[0]);
    }
    return e;
  }
}
