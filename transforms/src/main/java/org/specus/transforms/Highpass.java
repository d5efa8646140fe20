package org.specus.transforms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.specus.dsp.Butterworth;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.Tiles;

/**
 * Butterworth highpass, second-order sections: {@code tiles.apply(Highpass.of(300).withOrder(3))}.
 * Defaults follow SpikeInterface's {@code highpass_filter} (order 5, forward-backward); IBL and
 * Kilosort use order 3. The tile margin is the settling time of the slowest pole, so the output
 * does not depend on where tiles are cut.
 */
public final class Highpass extends PTransform<Tiles, Tiles> {
  public static final int DEFAULT_ORDER = 5;

  private final double cutoffHz;
  private final int order;
  private final Direction direction;

  private Highpass(double cutoffHz, int order, Direction direction) {
    this.cutoffHz = cutoffHz;
    this.order = order;
    this.direction = direction;
  }

  public static Highpass of(double cutoffHz) {
    if (!(cutoffHz > 0) || !Double.isFinite(cutoffHz)) {
      throw new IllegalArgumentException("highpass cutoff must be a positive frequency in Hz, got " + cutoffHz);
    }
    return new Highpass(cutoffHz, DEFAULT_ORDER, Direction.FORWARD_BACKWARD);
  }

  public Highpass withOrder(int order) {
    return new Highpass(cutoffHz, checkOrder("highpass", order), direction);
  }

  public Highpass withDirection(Direction direction) {
    if (direction == null) {
      throw new IllegalArgumentException("highpass direction is missing");
    }
    return new Highpass(cutoffHz, order, direction);
  }

  static int checkOrder(String filter, int order) {
    if (order < 1 || order > 12) {
      throw new IllegalArgumentException(filter + " order must be between 1 and 12, got " + order);
    }
    return order;
  }

  @Override
  public Tiles expand(Tiles input) {
    RecordingInfo rec = input.recording();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("op", "highpass");
    parameters.put("cutoff_hz", cutoffHz);
    parameters.put("order", order);
    parameters.put("ftype", "butter");
    parameters.put("direction", direction.label());
    return input.then(SosFilterOp.forRecording("highpass", rec,
        () -> Butterworth.highpass(order, cutoffHz, rec.samplingRate()), direction, parameters));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("cutoffHz", cutoffHz)).add(DisplayData.item("order", order))
        .add(DisplayData.item("direction", direction.label()));
  }
}
