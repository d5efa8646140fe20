package org.specus.transforms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.dsp.BadChannels;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.TileOp;

/**
 * Acts on the detected bad channels (labels from a side input): interpolates them from their good
 * neighbours, zeroes them (exclusion: later references leave them out), or leaves the signal as it
 * is; in every case the labels go into the output as {@code properties/channel_labels}.
 */
final class BadChannelsOp implements TileOp {
  private final PCollectionView<ChannelLabels> labels;
  private final DetectBadChannels.Action action;
  private final double[][] xy;
  private final double sigmaUm;
  private final double power;
  private final Map<String, Object> parameters;
  private transient ChannelLabels cachedFor;
  private transient double[][] cachedWeights;

  BadChannelsOp(PCollectionView<ChannelLabels> labels, DetectBadChannels.Action action, double[][] xy,
      double sigmaUm, double power, Map<String, Object> parameters) {
    this.labels = labels;
    this.action = action;
    this.xy = xy;
    this.sigmaUm = sigmaUm;
    this.power = power;
    this.parameters = parameters;
  }

  PCollectionView<ChannelLabels> labels() {
    return labels;
  }

  DetectBadChannels.Action action() {
    return action;
  }

  @Override
  public String name() {
    return "bad_channels";
  }

  @Override
  public int marginSamples() {
    return 0;
  }

  @Override
  public void apply(SignalBlock block, SideInputs sideInputs) {
    ChannelLabels l = sideInputs.get(labels);
    if (action == DetectBadChannels.Action.DETECT || l.badCount() == 0) {
      return;
    }
    float[] d = block.data();
    int rows = block.rows();
    int cols = block.cols();
    if (action == DetectBadChannels.Action.EXCLUDE) {
      for (int c = 0; c < cols; c++) {
        if (l.isBad(c)) {
          for (int t = 0; t < rows; t++) {
            d[t * cols + c] = 0f;
          }
        }
      }
      return;
    }
    double[][] w = weights(l);
    float[] values = new float[cols];
    for (int t = 0; t < rows; t++) {
      int off = t * cols;
      System.arraycopy(d, off, values, 0, cols); // bad channels read good ones only, so order does not matter
      int b = 0;
      for (int c = 0; c < cols; c++) {
        if (l.isBad(c)) {
          double[] wb = w[b++];
          double sum = 0;
          for (int j = 0; j < cols; j++) {
            if (wb[j] != 0) {
              sum += wb[j] * values[j];
            }
          }
          d[off + c] = (float) sum;
        }
      }
    }
  }

  private synchronized double[][] weights(ChannelLabels l) {
    if (cachedFor != l) {
      cachedWeights = BadChannels.interpolationWeights(xy, l.labels(), sigmaUm, power);
      cachedFor = l;
    }
    return cachedWeights;
  }

  @Override
  public Map<String, Object> describe() {
    return parameters;
  }

  @Override
  public List<PCollectionView<?>> sideInputs() {
    return List.of(labels);
  }

  @Override
  public List<Artifact> artifacts(SideInputs sideInputs) {
    ChannelLabels l = sideInputs.get(labels);
    double[] codes = new double[l.labels().length];
    for (int c = 0; c < codes.length; c++) {
      codes[c] = l.labels()[c];
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("codes", Map.of("0", "good", "1", "dead", "2", "noise", "3", "out"));
    attributes.put("labels", l.names());
    attributes.put("method", "coherence+psd (IBL)");
    attributes.put("action", action.label());
    attributes.put("sample_ranges", l.sampleRanges());
    if (l.warning() != null) {
      attributes.put("warning", l.warning());
    }
    return List.of(new Artifact("properties/channel_labels", codes, new long[] {codes.length}, false, attributes));
  }
}
