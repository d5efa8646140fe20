package org.specus.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.dsp.Whitening;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.RowOp;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.TileOp;

/**
 * Applies the whitening matrix that arrives as a side input, {@code y = scale · W (x − μ)} (μ only
 * with mean removal, scale only for integer output), and records W (and μ) in the output.
 */
final class WhitenOp implements TileOp {
  private final PCollectionView<WhiteningMatrix> matrix;
  private final PCollectionView<float[]> mean;
  private final Double scale;
  private final Map<String, Object> parameters;

  WhitenOp(PCollectionView<WhiteningMatrix> matrix, PCollectionView<float[]> mean, Double scale,
      Map<String, Object> parameters) {
    this.matrix = matrix;
    this.mean = mean;
    this.scale = scale;
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
    float[] out = block.spare(); // reused from tile to tile when the block is pooled
    rowOp(sideInputs, block.cols()).apply(block.data(), 0, out, 0, block.rows());
    block.replace(out);
  }

  @Override
  public RowOp rowOp(SideInputs sideInputs, int cols) {
    float[] w = sideInputs.get(matrix).w();
    float[] mu = mean == null ? null : sideInputs.get(mean);
    return new RowOp() {
      @Override
      public void apply(float[] src, int srcRow, float[] dst, int dstRow, int rows) {
        if (mu != null) {
          PartialCovarianceFn.subtract(src, srcRow, srcRow + rows, cols, mu);
        }
        Whitening.apply(src, srcRow, rows, cols, w, dst, dstRow);
        if (scale != null) {
          float s = scale.floatValue();
          for (int i = dstRow * cols; i < (dstRow + rows) * cols; i++) {
            dst[i] *= s;
          }
        }
      }

      @Override
      public boolean inPlace() {
        return false;
      }
    };
  }

  @Override
  public Map<String, Object> describe() {
    return parameters;
  }

  @Override
  public List<PCollectionView<?>> sideInputs() {
    return mean == null ? List.of(matrix) : List.of(matrix, mean);
  }

  @Override
  public List<Artifact> artifacts(SideInputs sideInputs) {
    WhiteningMatrix w = sideInputs.get(matrix);
    double[] values = new double[w.w().length];
    for (int i = 0; i < values.length; i++) {
      values[i] = w.w()[i];
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("convention", mean == null ? "y = W x for each sample x (channels)"
        : "y = W (x - whitening_mean) for each sample x (channels)");
    attributes.put("mode", parameters.get("mode"));
    attributes.put("eps", w.eps());
    attributes.put("samples", w.samples());
    attributes.put("sample_ranges", w.sampleRanges());
    if (scale != null) {
      attributes.put("int_scale", scale);
    }
    List<Artifact> artifacts = new ArrayList<>();
    artifacts.add(new Artifact("whitening_matrix", values, new long[] {w.channels(), w.channels()}, true, attributes));
    if (mean != null) {
      float[] mu = sideInputs.get(mean);
      double[] m = new double[mu.length];
      for (int i = 0; i < m.length; i++) {
        m[i] = mu[i];
      }
      artifacts.add(new Artifact("whitening_mean", m, new long[] {m.length}, true,
          Map.of("convention", "subtracted from each sample before W")));
    }
    return artifacts;
  }
}
