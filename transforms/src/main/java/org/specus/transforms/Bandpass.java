package org.specus.transforms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.specus.dsp.Butterworth;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.Tiles;

/**
 * Butterworth bandpass, second-order sections: {@code tiles.apply(Bandpass.of(300, 6000))}.
 * Defaults follow SpikeInterface's {@code bandpass_filter} (order 5, forward-backward, i.e. zero
 * phase); {@link #withDirection} makes it causal or anti-causal. The tile margin is the filter's
 * settling time, set by the slowest pole (the lowest cutoff), so the output does not depend on
 * where tiles are cut.
 */
public final class Bandpass extends PTransform<Tiles, Tiles> {
  public static final int DEFAULT_ORDER = 5;
  /** Impulse-response decay below which neighbouring tiles no longer affect each other. */
  static final double SETTLING_TOLERANCE = 1e-9;

  private final double lowHz;
  private final double highHz;
  private final int order;
  private final Direction direction;

  private Bandpass(double lowHz, double highHz, int order, Direction direction) {
    this.lowHz = lowHz;
    this.highHz = highHz;
    this.order = order;
    this.direction = direction;
  }

  public static Bandpass of(double lowHz, double highHz) {
    if (!(lowHz > 0) || !Double.isFinite(lowHz)) {
      throw new IllegalArgumentException("bandpass low cutoff must be a positive frequency in Hz, got " + lowHz);
    }
    if (!(highHz > lowHz) || !Double.isFinite(highHz)) {
      throw new IllegalArgumentException(
          "bandpass high cutoff (" + highHz + " Hz) must be above the low cutoff (" + lowHz + " Hz)");
    }
    return new Bandpass(lowHz, highHz, DEFAULT_ORDER, Direction.FORWARD_BACKWARD);
  }

  public Bandpass withOrder(int order) {
    return new Bandpass(lowHz, highHz, Highpass.checkOrder("bandpass", order), direction);
  }

  public Bandpass withDirection(Direction direction) {
    if (direction == null) {
      throw new IllegalArgumentException("bandpass direction is missing");
    }
    return new Bandpass(lowHz, highHz, order, direction);
  }

  @Override
  public Tiles expand(Tiles input) {
    RecordingInfo rec = input.recording();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("op", "bandpass");
    parameters.put("low_hz", lowHz);
    parameters.put("high_hz", highHz);
    parameters.put("order", order);
    parameters.put("ftype", "butter");
    parameters.put("direction", direction.label());
    return input.then(SosFilterOp.forRecording("bandpass", rec,
        () -> Butterworth.bandpass(order, lowHz, highHz, rec.samplingRate()), direction, parameters));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("lowHz", lowHz)).add(DisplayData.item("highHz", highHz))
        .add(DisplayData.item("order", order)).add(DisplayData.item("direction", direction.label()));
  }
}
