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

  /**
   * As {@link #apply(SignalBlock, SideInputs)}, telling {@code done} which rows of the block are
   * final, every row once, so that the row ops after this one can run on them while they are in
   * cache. The default tells all rows at the end; an op whose last pass finishes rows a few at a
   * time (a filter) tells them as it goes. The block must stay in its buffer ({@code data()}).
   */
  default void apply(SignalBlock block, SideInputs sideInputs, RowRuns done) {
    apply(block, sideInputs);
    done.rows(0, block.rows());
  }

  /**
   * This op as a {@link RowOp} for a {@code cols}-channel tile, or {@code null} if an output row
   * depends on more than its own input row (or the op has a margin).
   */
  default RowOp rowOp(SideInputs sideInputs, int cols) {
    return null;
  }

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
