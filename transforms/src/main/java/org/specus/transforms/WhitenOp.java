package org.specus.transforms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.dsp.Whitening;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.TileOp;

/** Applies the whitening matrix that arrives as a side input, and records it in the output. */
final class WhitenOp implements TileOp {
  private final PCollectionView<WhiteningMatrix> matrix;
  private final Map<String, Object> parameters;

  WhitenOp(PCollectionView<WhiteningMatrix> matrix, Map<String, Object> parameters) {
    this.matrix = matrix;
    this.parameters = parameters;
  }

  @Override
  public String name() {
    return "whiten";
  }

  @Override
  public int marginSamples() {
    return 0;
  }

  @Override
  public void apply(SignalBlock block, SideInputs sideInputs) {
    WhiteningMatrix w = sideInputs.get(matrix);
    float[] out = block.spare(); // reused from tile to tile when the block is pooled
    Whitening.apply(block.data(), block.rows(), block.cols(), w.w(), out);
    block.replace(out);
  }

  @Override
  public Map<String, Object> describe() {
    return parameters;
  }

  @Override
  public List<PCollectionView<?>> sideInputs() {
    return List.of(matrix);
  }

  @Override
  public List<Artifact> artifacts(SideInputs sideInputs) {
    WhiteningMatrix w = sideInputs.get(matrix);
    double[] values = new double[w.w().length];
    for (int i = 0; i < values.length; i++) {
      values[i] = w.w()[i];
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("convention", "y = W x for each sample x (channels)");
    attributes.put("eps", w.eps());
    attributes.put("samples", w.samples());
    attributes.put("sample_ranges", w.sampleRanges());
    return List.of(new Artifact("whitening_matrix", values, new long[] {w.channels(), w.channels()}, true, attributes));
  }
}
