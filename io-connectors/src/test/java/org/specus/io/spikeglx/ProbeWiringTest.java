package org.specus.io.spikeglx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.specus.io.TestData;

/** ADC sampling delays and shanks of real SpikeGLX recordings. */
class ProbeWiringTest {

  /**
   * SpikeInterface's definition, written its way: ADC index {@code floor(ch / 2P)·2 + ch mod 2};
   * the channels of each ADC, in channel order, get delays {@code 0, 1, ..., P-1} over the number
   * of cycles.
   */
  static double[] reference(int channels, int perAdc, int cycles) {
    int[] adc = new int[channels];
    for (int ch = 0; ch < channels; ch++) {
      adc[ch] = (ch / (2 * perAdc)) * 2 + ch % 2;
    }
    double[] shifts = new double[channels];
    for (int a : Arrays.stream(adc).distinct().toArray()) {
      int k = 0;
      for (int ch = 0; ch < channels; ch++) {
        if (adc[ch] == a) {
          shifts[ch] = k++ / (double) cycles;
        }
      }
    }
    return shifts;
  }

  @Test
  void np1ApChannelsAreDelayedByTheirSlotOver13() {
    Path bin = TestData.require("spikeglx/recordings/Noise4Sam_g0/Noise4Sam_g0_imec0/Noise4Sam_g0_t0.imec0.ap.bin");
    try (SpikeGlxRecording r = SpikeGlxRecording.open(bin)) {
      double[] s = r.sampleShifts();
      assertArrayEquals(reference(384, 12, 13), s, 1e-15);
      assertEquals(0, s[0]);
      assertEquals(0, s[1]);
      assertEquals(1 / 13.0, s[2]);
      assertEquals(11 / 13.0, s[23]);
      assertEquals(0, s[24]);
      assertArrayEquals(new int[384], r.channelGroups());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void np1LfChannelsUse12Cycles() {
    Path bin = TestData.require("spikeglx/recordings/multi_trigger_multi_gate/SpikeGLX/5-19-2022-CI5/5-19-2022-CI5_g0/5-19-2022-CI5_g0_t0.imec0.lf.bin");
    try (SpikeGlxRecording r = SpikeGlxRecording.open(bin)) {
      assertArrayEquals(reference(384, 12, 12), r.sampleShifts(), 1e-15);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void np2ChannelsAreDelayedByTheirSlotOver16AndKeepTheirShank() {
    Path bin = TestData.require(
        "spikeglx/recordings/multi_probe_multi_dock_multi_shank_filename_without_info/probe_1/npx.imec.ap.bin");
    try (SpikeGlxRecording r = SpikeGlxRecording.open(bin)) {
      assertArrayEquals(reference(384, 16, 16), r.sampleShifts(), 1e-15);
      int[] groups = new int[384];
      Arrays.fill(groups, 3); // this NP2.4 probe recorded shank 3 only (~snsShankMap entries 3:col:row)
      assertArrayEquals(groups, r.channelGroups());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void fourShankProbesGroupChannelsByShank() {
    Path bin = TestData.require(
        "spikeglx/recordings/multi_probe_multi_dock_multi_shank_filename_without_info/probe_2/npx.imec.ap.bin");
    try (SpikeGlxRecording r = SpikeGlxRecording.open(bin)) {
      int[] counts = new int[4];
      for (int g : r.channelGroups()) {
        counts[g]++;
      }
      assertArrayEquals(new int[] {96, 96, 96, 96}, counts);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aSavedSubsetKeepsEachChannelsOwnDelay() {
    assertArrayEquals(new double[] {0, 0, 1 / 13.0, 11 / 13.0, 0},
        ProbeWiring.sampleShifts(probe("0"), SpikeGlxChannels.Stream.AP, new int[] {0, 1, 2, 23, 24}), 1e-15);
    assertNull(ProbeWiring.sampleShifts(null, SpikeGlxChannels.Stream.NIDQ, new int[] {0}));
  }

  private static ProbeType probe(String code) {
    return new ProbeType(code, "NP1.0", null, ProbeType.NP1, Double.NaN, true, 512);
  }
}
