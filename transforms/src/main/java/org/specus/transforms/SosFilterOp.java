package org.specus.transforms;

import java.util.Map;
import org.specus.dsp.Sos;
import org.specus.dsp.SosFilter;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.TileOp;

/** Zero-phase (forward-backward) IIR filtering of every channel, with a margin from the filter's settling time. */
final class SosFilterOp implements TileOp {
  private final String name;
  private final Sos sos;
  private final int margin;
  private final Map<String, Object> parameters;

  SosFilterOp(String name, Sos sos, int margin, Map<String, Object> parameters) {
    this.name = name;
    this.sos = sos;
    this.margin = margin;
    this.parameters = parameters;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int marginSamples() {
    return margin;
  }

  @Override
  public void apply(SignalBlock block, SideInputs sideInputs) {
    SosFilter.filtfilt(sos, block.data(), block.rows(), block.cols());
  }

  @Override
  public Map<String, Object> describe() {
    return parameters;
  }
}
