package org.specus.transforms;

import java.util.Map;
import java.util.function.Supplier;
import org.specus.dsp.Sos;
import org.specus.dsp.SosFilter;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.RowRuns;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.TileOp;

/**
 * IIR filtering of every channel in one {@link Direction}, with a margin from the filter's
 * settling time.
 *
 * <p>Why the margin is on both sides even for one-way filters: a forward filter's state comes from
 * the left, so the left margin is what makes a tile exact; the right margin costs a little reading
 * but keeps {@link TileOp} margins symmetric (the chain sums them). At the recording's first sample
 * (forward) or last sample (backward) there is no margin and the filter starts from a zero state,
 * exactly as {@code sosfilt} on the whole recording does.
 */
final class SosFilterOp implements TileOp {
  private final String name;
  private final Sos sos;
  private final int margin;
  private final Direction direction;
  private final Map<String, Object> parameters;

  SosFilterOp(String name, Sos sos, int margin, Direction direction, Map<String, Object> parameters) {
    this.name = name;
    this.sos = sos;
    this.margin = margin;
    this.direction = direction;
    this.parameters = parameters;
  }

  /**
   * The filter {@code design} gives for {@code rec}, its margin the settling time of the slowest
   * pole ({@code margin_samples} is added to {@code parameters}). What the recording cannot take
   * is refused here, naming it, while the pipeline is built: a cutoff at or above its Nyquist
   * frequency, or, forward-backward, fewer samples than scipy's padding needs. A run would
   * otherwise fail only once a worker reached its tiles, and a batch plan could not foresee it.
   */
  static SosFilterOp forRecording(String name, RecordingInfo rec, Supplier<Sos> design, Direction direction,
      Map<String, Object> parameters) {
    Sos sos;
    try {
      sos = design.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(rec.fileName() + ": " + e.getMessage(), e);
    }
    int edge = SosFilter.padlen(sos);
    if (direction == Direction.FORWARD_BACKWARD && rec.numSamples() <= edge) {
      throw new IllegalArgumentException(rec.fileName() + ": " + name + " forward-backward needs more than "
          + edge + " samples (scipy's padlen for this " + sos.numSections() + "-section filter), but the"
          + " recording has " + rec.numSamples());
    }
    int margin = SosFilter.settlingSamples(sos, Bandpass.SETTLING_TOLERANCE);
    parameters.put("margin_samples", margin);
    return new SosFilterOp(name, sos, margin, direction, parameters);
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
    filter(block, (from, to) -> { });
  }

  /** Tells {@code done} of each chunk of rows as the last pass finishes it. */
  @Override
  public void apply(SignalBlock block, SideInputs sideInputs, RowRuns done) {
    filter(block, done::rows);
  }

  private void filter(SignalBlock block, SosFilter.FinishedRows done) {
    float[] x = block.data();
    switch (direction) {
      case FORWARD -> SosFilter.forward(sos, x, block.rows(), block.cols(), x, done);
      case BACKWARD -> SosFilter.backward(sos, x, block.rows(), block.cols(), x, done);
      case FORWARD_BACKWARD -> SosFilter.filtfilt(sos, x, block.rows(), block.cols(), x, done);
    }
  }

  @Override
  public Map<String, Object> describe() {
    return parameters;
  }
}
