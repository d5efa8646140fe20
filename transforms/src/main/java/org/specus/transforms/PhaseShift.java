package org.specus.transforms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.TileOp;
import org.specus.io.beam.Tiles;

/**
 * Corrects the ADC multiplexing delay of each channel: {@code tiles.apply(PhaseShift.fromProbe())}
 * delays every channel back to the sample clock by its {@code inter_sample_shift} (NP1.0: slot/13
 * of a sample, NP2.0: slot/16; from the reader), in the frequency domain with a tapered 40 ms
 * margin as SpikeInterface's {@code phase_shift}. Frames are anchored on the recording, not on the
 * tiles, so the output does not depend on the tile length (see {@link org.specus.dsp.PhaseShift});
 * the tile margin is one frame core plus the taper margin.
 */
public final class PhaseShift extends PTransform<Tiles, Tiles> {
  public static final double DEFAULT_MARGIN_MS = 40;

  private final double marginMs;
  private final double[] shifts;

  private PhaseShift(double marginMs, double[] shifts) {
    this.marginMs = marginMs;
    this.shifts = shifts;
  }

  /** The delays the recording's probe wiring implies. */
  public static PhaseShift fromProbe() {
    return new PhaseShift(DEFAULT_MARGIN_MS, null);
  }

  /** Explicit delays in samples, one per channel. */
  public static PhaseShift of(double[] shiftsInSamples) {
    if (shiftsInSamples == null) {
      throw new IllegalArgumentException("phase shift: the channel shifts are missing");
    }
    for (double s : shiftsInSamples) {
      if (!Double.isFinite(s)) {
        throw new IllegalArgumentException("phase shift: channel shifts must be finite numbers of samples, got " + s);
      }
    }
    return new PhaseShift(DEFAULT_MARGIN_MS, shiftsInSamples.clone());
  }

  public PhaseShift withMarginMs(double ms) {
    if (!(ms > 0) || !Double.isFinite(ms)) {
      throw new IllegalArgumentException("phase shift margin must be a positive number of ms, got " + ms);
    }
    return new PhaseShift(ms, shifts);
  }

  @Override
  public Tiles expand(Tiles input) {
    RecordingInfo rec = input.recording();
    double[] s = shifts != null ? shifts : rec.sampleShifts();
    if (s == null) {
      throw new IllegalArgumentException(rec.fileName() + ": phase shift needs each channel's ADC sampling delay,"
          + " and the reader does not know it for this recording (probe type unknown?)");
    }
    if (s.length != rec.numChannels()) {
      throw new IllegalArgumentException(rec.fileName() + ": phase shift has " + s.length + " channel shifts but the"
          + " recording has " + rec.numChannels() + " channels");
    }
    int margin = (int) (marginMs * rec.samplingRate() / 1000.0); // SpikeInterface: int(margin_ms * fs / 1000)
    if (margin < 1) {
      throw new IllegalArgumentException(rec.fileName() + ": phase shift margin of " + marginMs
          + " ms is shorter than one sample");
    }
    org.specus.dsp.PhaseShift kernel = new org.specus.dsp.PhaseShift(s, margin, rec.numSamples());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("op", "phase_shift");
    p.put("margin_ms", marginMs);
    p.put("margin_samples", margin);
    p.put("frame_samples", kernel.frameLength());
    p.put("frame_core_samples", kernel.frameCore());
    p.put("shifts", shifts != null ? "explicit" : "probe");
    return input.then(new Op(kernel, rec.numSamples(), p));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("marginMs", marginMs));
  }

  static final class Op implements TileOp {
    private final org.specus.dsp.PhaseShift kernel;
    private final long recordingSamples;
    private final Map<String, Object> parameters;

    Op(org.specus.dsp.PhaseShift kernel, long recordingSamples, Map<String, Object> parameters) {
      this.kernel = kernel;
      this.recordingSamples = recordingSamples;
      this.parameters = parameters;
    }

    @Override
    public String name() {
      return "phase_shift";
    }

    @Override
    public int marginSamples() {
      return kernel.requiredMargin();
    }

    @Override
    public void apply(SignalBlock block, SideInputs sideInputs) {
      // What the chain keeps of this op's output: the block less this op's margin on each side,
      // except where the block was cut short by the recording's edges.
      long from = block.firstSample() == 0 ? 0 : block.firstSample() + marginSamples();
      long to = block.endSample() == recordingSamples ? recordingSamples : block.endSample() - marginSamples();
      kernel.apply(block.data(), block.firstSample(), block.rows(), block.cols(), from, Math.max(from, to));
    }

    @Override
    public Map<String, Object> describe() {
      return parameters;
    }
  }
}
