package org.specus.transforms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.specus.dsp.Butterworth;
import org.specus.dsp.Sos;
import org.specus.dsp.SosFilter;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.Tiles;

/**
 * Butterworth bandpass, second-order sections, forward-backward (zero phase):
 * {@code tiles.apply(Bandpass.of(300, 6000))}. Defaults follow SpikeInterface's
 * {@code bandpass_filter} (order 5). The tile margin is the filter's settling time, so the output
 * does not depend on where tiles are cut.
 */
public final class Bandpass extends PTransform<Tiles, Tiles> {
  public static final int DEFAULT_ORDER = 5;
  /** Impulse-response decay below which neighbouring tiles no longer affect each other. */
  static final double SETTLING_TOLERANCE = 1e-9;

  private final double lowHz;
  private final double highHz;
  private final int order;

  private Bandpass(double lowHz, double highHz, int order) {
    this.lowHz = lowHz;
    this.highHz = highHz;
    this.order = order;
  }

  public static Bandpass of(double lowHz, double highHz) {
    if (!(lowHz > 0) || !Double.isFinite(lowHz)) {
      throw new IllegalArgumentException("bandpass low cutoff must be a positive frequency in Hz, got " + lowHz);
    }
    if (!(highHz > lowHz) || !Double.isFinite(highHz)) {
      throw new IllegalArgumentException(
          "bandpass high cutoff (" + highHz + " Hz) must be above the low cutoff (" + lowHz + " Hz)");
    }
    return new Bandpass(lowHz, highHz, DEFAULT_ORDER);
  }

  public Bandpass withOrder(int order) {
    if (order < 1 || order > 12) {
      throw new IllegalArgumentException("bandpass order must be between 1 and 12, got " + order);
    }
    return new Bandpass(lowHz, highHz, order);
  }

  @Override
  public Tiles expand(Tiles input) {
    RecordingInfo rec = input.recording();
    Sos sos;
    try {
      sos = Butterworth.bandpass(order, lowHz, highHz, rec.samplingRate());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(rec.fileName() + ": " + e.getMessage(), e);
    }
    int margin = SosFilter.settlingSamples(sos, SETTLING_TOLERANCE);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("op", "bandpass");
    parameters.put("low_hz", lowHz);
    parameters.put("high_hz", highHz);
    parameters.put("order", order);
    parameters.put("ftype", "butter");
    parameters.put("direction", "forward-backward");
    parameters.put("margin_samples", margin);
    return input.then(new SosFilterOp("bandpass", sos, margin, parameters));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("lowHz", lowHz)).add(DisplayData.item("highHz", highHz)).add(DisplayData.item("order", order));
  }
}
