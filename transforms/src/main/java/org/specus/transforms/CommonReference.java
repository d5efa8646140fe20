package org.specus.transforms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.TileOp;
import org.specus.io.beam.Tiles;

/**
 * Subtracts, from every channel, the per-sample median (or mean) over all channels:
 * {@code tiles.apply(CommonReference.median())}. Removes the artifacts every channel shares.
 */
public final class CommonReference extends PTransform<Tiles, Tiles> {

  /** How the shared reference is estimated at each sample. */
  public enum Operator {
    MEDIAN,
    AVERAGE
  }

  private final Operator operator;

  private CommonReference(Operator operator) {
    this.operator = operator;
  }

  public static CommonReference median() {
    return new CommonReference(Operator.MEDIAN);
  }

  public static CommonReference average() {
    return new CommonReference(Operator.AVERAGE);
  }

  @Override
  public Tiles expand(Tiles input) {
    if (input.recording().numChannels() < 2) {
      throw new IllegalArgumentException(input.recording().fileName()
          + ": a common reference needs at least 2 channels, the recording has " + input.recording().numChannels());
    }
    return input.then(new Op(operator));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("operator", operator.name().toLowerCase()));
  }

  static final class Op implements TileOp {
    private final Operator operator;

    Op(Operator operator) {
      this.operator = operator;
    }

    @Override
    public String name() {
      return "common_reference";
    }

    @Override
    public int marginSamples() {
      return 0;
    }

    @Override
    public void apply(SignalBlock block, SideInputs sideInputs) {
      if (operator == Operator.MEDIAN) {
        org.specus.dsp.CommonReference.subtractMedian(block.data(), block.rows(), block.cols());
      } else {
        org.specus.dsp.CommonReference.subtractAverage(block.data(), block.rows(), block.cols());
      }
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("op", "common_reference");
      p.put("reference", "global");
      p.put("operator", operator.name().toLowerCase());
      return p;
    }
  }
}
