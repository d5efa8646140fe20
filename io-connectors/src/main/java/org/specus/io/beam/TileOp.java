package org.specus.io.beam;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * One step of the lazy processing chain that a {@link Tiles} carries and that a sink runs per tile.
 * Implementations are small serializable values (coefficients, parameters, side-input handles).
 */
public interface TileOp extends Serializable {

  /** Short name for provenance and progress, e.g. {@code "bandpass"}. */
  String name();

  /**
   * Samples of real neighbouring signal this op needs on each side of the span it must produce
   * exactly: the sum over the chain is how far a tile is read beyond its own range.
   */
  int marginSamples();

  /** Transforms the block in place (or via {@link SignalBlock#replace}). */
  void apply(SignalBlock block, SideInputs sideInputs);

  /** Parameters as stored in the output's provenance, enough to re-run the op. */
  Map<String, Object> describe();

  /** Side inputs {@link #apply} reads; a sink running the chain must be given them. */
  default List<PCollectionView<?>> sideInputs() {
    return List.of();
  }

  /** Arrays this op contributes to the output, e.g. the whitening matrix it applied. */
  default List<Artifact> artifacts(SideInputs sideInputs) {
    return List.of();
  }
}
