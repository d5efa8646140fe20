package org.specus.io.spikeglx;

import java.util.List;
import java.util.Optional;

/**
 * How a probe's channels are wired, beyond their positions: the shank each saved channel is on
 * (the group a per-shank reference works within) and the ADC slot it is sampled in (the delay
 * that phase-shift correction undoes).
 *
 * <p><b>ADC multiplexing.</b> Neuropixels probes digitise channels through ADCs that each serve
 * {@code P} channels one after another within a sample period: acquisition channels {@code 2k}
 * and {@code 2k+1} share a slot, channels {@code 0..2P-1} feed the first two ADCs, the next
 * {@code 2P} the next two, and so on. For acquisition channel {@code ch} the slot is
 * {@code (ch mod 2P) / 2}, and the delay is {@code slot / cycles} of a sample. NP1.0 technology
 * (types 0, 3A, NHP 1030, Ultra 1100): {@code P = 12}; AP streams have 13 cycles per sample
 * (the 13th samples the LF band), LF streams 12. NP2.0 (21, 24, 20xx): {@code P = 16}, 16
 * cycles. This is SpikeInterface's {@code inter_sample_shift} and IBL's {@code sample_shift};
 * the slot follows the acquisition index, so a saved subset of channels keeps each channel's own
 * delay.
 */
final class ProbeWiring {
  static final int NP1_CHANNELS_PER_ADC = 12;
  static final int NP2_CHANNELS_PER_ADC = 16;

  private ProbeWiring() {}

  /** Shank of each saved neural channel from {@code ~snsGeomMap} or {@code ~snsShankMap}; 0 when neither says. */
  static int[] shanks(SpikeGlxMeta meta, int n) {
    int[] shank = new int[n];
    Optional<List<String>> table = meta.table("snsGeomMap");
    if (table.isEmpty() || table.get().size() - 1 != n) {
      table = meta.table("snsShankMap");
    }
    if (table.isEmpty() || table.get().size() - 1 != n) {
      return shank;
    }
    for (int c = 0; c < n; c++) {
      String entry = table.get().get(c + 1);
      String first = entry.split(":", 2)[0].strip();
      try {
        shank[c] = (int) Double.parseDouble(first);
      } catch (NumberFormatException e) {
        throw meta.error("channel map entry (" + SpikeGlxMeta.abbreviate(entry) + ") has a non-numeric shank '"
            + first + "'");
      }
    }
    return shank;
  }

  /**
   * Sampling delay in samples of each saved neural channel, or {@code null} when the probe type's
   * multiplexing is not known (nidq streams, unknown types).
   *
   * @param acquisitionIndex within-band index ({@code k} of {@code APk}) of each saved channel
   */
  static double[] sampleShifts(ProbeType probe, SpikeGlxChannels.Stream stream, int[] acquisitionIndex) {
    int perAdc;
    int cycles;
    if (probe == null || probe.name().equals("unknown type")) {
      return null;
    } else if (probe.imroHasGains()) {
      perAdc = NP1_CHANNELS_PER_ADC;
      cycles = stream == SpikeGlxChannels.Stream.AP ? perAdc + 1 : perAdc;
    } else if (!Double.isNaN(probe.fixedApGain())) {
      perAdc = NP2_CHANNELS_PER_ADC;
      cycles = perAdc;
    } else {
      return null;
    }
    double[] shifts = new double[acquisitionIndex.length];
    for (int c = 0; c < shifts.length; c++) {
      shifts[c] = slot(acquisitionIndex[c], perAdc) / (double) cycles;
    }
    return shifts;
  }

  /** ADC slot (0 = sampled first) of acquisition channel {@code ch}. */
  static int slot(int ch, int perAdc) {
    return (ch % (2 * perAdc)) / 2;
  }

  /** {@code k} of each {@code APk}/{@code LFk} id. */
  static int[] acquisitionIndex(List<String> ids) {
    int[] k = new int[ids.size()];
    for (int c = 0; c < k.length; c++) {
      String id = ids.get(c);
      k[c] = Integer.parseInt(id.substring(2));
    }
    return k;
  }
}
