package org.specus.io.beam;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A recording planned as tiles, with the lazy chain of ops that a sink will run on each of them.
 * The PCollection holds only {@link Tile} descriptors; the recording's facts and the chain are
 * construction-time values, so transforms validate against them (e.g. Nyquist) before the
 * pipeline runs, and a sink knows which side inputs its DoFn needs.
 */
public final class Tiles implements PInput, POutput {
  private static final TupleTag<Tile> TAG = new TupleTag<>("tiles");

  private final PCollection<Tile> tiles;
  private final RecordingInfo recording;
  private final long tileSamples;
  private final OpChain chain;

  public Tiles(PCollection<Tile> tiles, RecordingInfo recording, long tileSamples, OpChain chain) {
    this.tiles = tiles;
    this.recording = recording;
    this.tileSamples = tileSamples;
    this.chain = chain;
  }

  public PCollection<Tile> tiles() {
    return tiles;
  }

  public RecordingInfo recording() {
    return recording;
  }

  public long tileSamples() {
    return tileSamples;
  }

  public long numTiles() {
    return (recording.numSamples() + tileSamples - 1) / tileSamples;
  }

  public OpChain chain() {
    return chain;
  }

  /** The same tiles with one more op at the end of the chain. */
  public Tiles then(TileOp op) {
    return new Tiles(tiles, recording, tileSamples, chain.then(op));
  }

  public <O extends POutput> O apply(PTransform<Tiles, O> transform) {
    return Pipeline.applyTransform(this, transform);
  }

  public <O extends POutput> O apply(String name, PTransform<Tiles, O> transform) {
    return Pipeline.applyTransform(name, this, transform);
  }

  @Override
  public Pipeline getPipeline() {
    return tiles.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(TAG, tiles);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
